package dev.mhc.core.inject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The raw inputs of the wrapped layers that have run so far in one forward call, newest first,
 * at most {@code capacity} of them. It holds references only: the arrays belong to the call.
 *
 * <p>In inference it also copies each entry into one {@code [capacity, ...]} array, a ring, so
 * that a mix is a single contraction over it ({@link #contract}) instead of n multiplies and n - 1
 * adds that each allocate a hidden state. Training mixes the entries themselves: writing into
 * the ring in place would change arrays autograd saved.
 */
public final class HistoryBuffer {

    private final int capacity;
    private final boolean detach;
    private final UnaryOperator<NDArray> keepForCall;
    private final List<Slot> slots = new ArrayList<>();
    private int pushed;
    private NDArray ring;

    private static final class Slot {
        final NDArray raw;
        NDArray detached;

        Slot(NDArray raw) {
            this.raw = raw;
        }
    }

    /** @param keepForCall keeps an array made by one layer alive for the rest of the call */
    HistoryBuffer(int capacity, boolean detach, UnaryOperator<NDArray> keepForCall) {
        this.capacity = capacity;
        this.detach = detach;
        this.keepForCall = keepForCall;
    }

    /**
     * Makes {@code hiddenState} offset 0 and drops the oldest entry beyond capacity.
     *
     * @param intoRing copy it into the ring too (inference: the mix will be {@link #contract})
     */
    void push(NDArray hiddenState, boolean intoRing) {
        pushed++;
        slots.add(0, new Slot(hiddenState));
        if (slots.size() > capacity) {
            slots.remove(slots.size() - 1);
        }
        if (intoRing) {
            if (ring == null) {
                // Uninitialised: a contraction reads only the slots written so far.
                ring = keepForCall.apply(hiddenState.getManager().create(
                        new Shape(capacity).addAll(hiddenState.getShape()), hiddenState.getDataType()));
            } else if (!ring.getShape().slice(1).equals(hiddenState.getShape())) {
                throw new IllegalStateException("history mixing needs every wrapped layer's hidden state in one"
                        + " shape; this call had " + ring.getShape().slice(1) + " and then " + hiddenState.getShape());
            }
            ring.set(new NDIndex("{}", ringSlot(0)), hiddenState);
        }
    }

    /**
     * The mix of the entries in inference: one contraction of the ring with the coefficients.
     *
     * @param coefficients over offsets 0..n-1 (n = {@link #size()}), the gate folded in
     */
    NDArray contract(float[] coefficients) {
        int written = Math.min(pushed, capacity); // slots 0..written-1 hold entries
        float[] row = new float[written];
        for (int offset = 0; offset < coefficients.length; offset++) {
            row[ringSlot(offset)] = coefficients[offset];
        }
        NDArray entry = slots.get(0).raw;
        NDArray entries = written == capacity ? ring : ring.get(new NDIndex("0:{}", written));
        return entry.getManager().create(row, new Shape(1, written))
                .matMul(entries.reshape(written, -1))
                .reshape(entry.getShape());
    }

    /** @return where the entry {@code offset} steps back sits in the ring */
    private int ringSlot(int offset) {
        return Math.floorMod(pushed - 1 - offset, capacity);
    }

    /** @return how many wrapped layers have run so far in this call, the current one included */
    int pushed() {
        return pushed;
    }

    /** @return the number of entries held, at most the capacity */
    public int size() {
        return slots.size();
    }

    /**
     * @return the entry {@code offset} steps back; with detaching on, offsets >= 1 come cut from
     *     the autograd graph (one detached copy per entry), offset 0 never does
     */
    public NDArray get(int offset) {
        Slot slot = slots.get(offset);
        if (offset == 0 || !detach) {
            return slot.raw;
        }
        if (slot.detached == null) {
            slot.detached = keepForCall.apply(slot.raw.stopGradient()); // later layers read it too
        }
        return slot.detached;
    }
}
