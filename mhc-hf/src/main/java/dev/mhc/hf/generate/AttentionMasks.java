package dev.mhc.hf.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Additive decoder masks, as HF builds them for eager attention: 0 where query i may attend to
 * key j, the lowest float elsewhere (never -infinity, so a row of padding stays finite).
 */
public final class AttentionMasks {

    private AttentionMasks() {}

    /**
     * @param attentionMask [batch, past + seq] of 1 (token) and 0 (padding), or {@code null}
     * @param past positions before this step (their keys come from the cache)
     * @param keyStart the absolute position of the first key the layer still keeps
     * @param keyCount the number of keys the layer attends to this step
     * @param window the sliding window (query i sees keys j with i - window < j <= i), 0 for none
     * @return [batch or 1, 1, seq, keyCount]
     */
    public static NDArray causal(
            NDManager manager,
            NDArray attentionMask,
            long batch,
            long seq,
            long past,
            long keyStart,
            long keyCount,
            int window) {
        long rows = attentionMask == null ? 1 : batch;
        float[] data = new float[(int) (rows * seq * keyCount)];
        long[] pad = attentionMask == null ? null : attentionMask.toLongArray();
        long maskWidth = attentionMask == null ? 0 : attentionMask.getShape().get(1);
        int at = 0;
        for (long b = 0; b < rows; b++) {
            for (long i = 0; i < seq; i++) {
                long query = past + i;
                for (long j = 0; j < keyCount; j++) {
                    long key = keyStart + j;
                    boolean allowed = key <= query && (window <= 0 || query - key < window);
                    if (allowed && pad != null) {
                        allowed = pad[(int) (b * maskWidth + key)] != 0;
                    }
                    data[at++] = allowed ? 0f : -Float.MAX_VALUE;
                }
            }
        }
        return manager.create(data, new Shape(rows, 1, seq, keyCount));
    }
}
