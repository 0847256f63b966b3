package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.mhc.core.nn.Scalars;

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
        NDArray counts = Scalars.maximum(mask.sum(new int[] {1}), 1e-9);
        NDArray mean = summed.div(counts);
        NDArray norm = Scalars.maximum(mean.norm(new int[] {1}, true), 1e-12);
        return mean.div(norm);
    }
}
