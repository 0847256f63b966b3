package dev.mhc.core.inject;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The raw inputs of the wrapped layers that have run so far in one forward call, newest first,
 * at most {@code capacity} of them. It holds references only: the arrays belong to the call.
 */
public final class HistoryBuffer {

    private final int capacity;
    private final boolean detach;
    private final UnaryOperator<NDArray> keepForCall;
    private final List<Slot> slots = new ArrayList<>();
    private int pushed;

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

    /** Makes {@code hiddenState} offset 0 and drops the oldest entry beyond capacity. */
    void push(NDArray hiddenState) {
        pushed++;
        slots.add(0, new Slot(hiddenState));
        if (slots.size() > capacity) {
            slots.remove(slots.size() - 1);
        }
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
