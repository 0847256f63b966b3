package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Sentence embeddings as sentence-transformers makes them: mask-weighted mean, then L2 norm. */
public final class MeanPooling {

    private MeanPooling() {}

    /**
     * @param hidden [batch, seq, hidden]
     * @param attentionMask [batch, seq] of 1 and 0
     * @return [batch, hidden], unit length per row
     */
    public static NDArray embed(NDArray hidden, NDArray attentionMask) {
        NDArray mask = attentionMask.toType(DataType.FLOAT32, false).expandDims(-1);
        NDArray summed = hidden.mul(mask).sum(new int[] {1});
        NDArray counts = mask.sum(new int[] {1}).maximum(1e-9f);
        NDArray mean = summed.div(counts);
        NDArray norm = mean.norm(new int[] {1}, true).maximum(1e-12f);
        return mean.div(norm);
    }
}
