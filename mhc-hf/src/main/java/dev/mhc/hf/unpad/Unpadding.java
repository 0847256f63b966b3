package dev.mhc.hf.unpad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * Where the real tokens of a padded [batch, seq] layout are: packing gathers them into [1,
 * tokens, hidden]; unpacking puts them back, zeros at the padding. Both are gathers, so gradients
 * flow through either way.
 */
public final class Unpadding {

    /** The key of the unpadding in a forward call's parameters. */
    public static final String PARAM = "unpadding";

    private final long batch;
    private final long seq;
    private final int tokens;
    private final NDArray realSlots;
    private final NDArray slotSources;
    private final NDArray spreadSources;

    private Unpadding(long batch, long seq, int tokens, NDArray realSlots, NDArray slotSources, NDArray spreadSources) {
        this.batch = batch;
        this.seq = seq;
        this.tokens = tokens;
        this.realSlots = realSlots;
        this.slotSources = slotSources;
        this.spreadSources = spreadSources;
    }

    /**
     * @param additiveMask [batch, 1, 1, seq]: 0 at real tokens, negative at padding (BERT's
     *     extended attention mask)
     */
    public static Unpadding of(NDArray additiveMask) {
        Shape s = additiveMask.getShape();
        long batch = s.get(0);
        long seq = s.get(s.dimension() - 1);
        float[] mask = additiveMask.toFloatArray();
        long[] real = new long[mask.length];
        long[] sources = new long[mask.length];
        int tokens = 0;
        for (int slot = 0; slot < mask.length; slot++) {
            if (mask[slot] == 0f) {
                real[tokens] = slot;
                sources[slot] = tokens++;
            } else {
                sources[slot] = -1;
            }
        }
        long[] spread = new long[mask.length];
        for (int slot = 0; slot < mask.length; slot++) {
            spread[slot] = Math.max(sources[slot], 0);
            if (sources[slot] < 0) {
                sources[slot] = tokens; // the zero row appended when unpacking
            }
        }
        NDManager manager = additiveMask.getManager();
        return new Unpadding(batch, seq, tokens, manager.create(Arrays.copyOf(real, tokens)), manager.create(sources),
                manager.create(spread));
    }

    /** @return the unpadding of this call, or {@code null} when the call is padded */
    public static Unpadding from(PairList<String, Object> params) {
        return params == null ? null : (Unpadding) params.get(PARAM);
    }

    /** @return {@code params} (may be null) with this unpadding added */
    public PairList<String, Object> addTo(PairList<String, Object> params) {
        PairList<String, Object> with = new PairList<>();
        if (params != null) {
            params.forEach(p -> with.add(p.getKey(), p.getValue()));
        }
        with.add(PARAM, this);
        return with;
    }

    /** @return the real tokens this batch holds */
    public int tokens() {
        return tokens;
    }

    /** [batch, seq, hidden] -> [1, tokens, hidden]: the real tokens, row by row. */
    public NDArray pack(NDArray padded) {
        long hidden = padded.getShape().get(2);
        return padded.reshape(batch * seq, hidden).get(realSlots).reshape(1, tokens, hidden);
    }

    /**
     * [1, tokens, hidden] -> [batch, seq, hidden] with the first token's row at the padding: for
     * keys and values the additive mask hides, and queries whose outputs {@link #pack} drops.
     * Cheaper than {@link #unpack} (no zero row to append).
     */
    public NDArray spread(NDArray packed) {
        long hidden = packed.getShape().get(2);
        return packed.reshape(tokens, hidden).get(spreadSources).reshape(batch, seq, hidden);
    }

    /** [1, tokens, hidden] -> [batch, seq, hidden], zeros at the padding. */
    public NDArray unpack(NDArray packed) {
        long hidden = packed.getShape().get(2);
        NDArray rows = packed.reshape(tokens, hidden);
        NDArray withZero = rows.concat(rows.getManager().zeros(new Shape(1, hidden), rows.getDataType()), 0);
        return withZero.get(slotSources).reshape(batch, seq, hidden);
    }
}
