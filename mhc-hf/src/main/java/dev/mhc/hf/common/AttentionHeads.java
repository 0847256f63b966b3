package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.nn.Scalars;

/** Eager multi-head attention arithmetic shared by the families, as HF's eager attention. */
public final class AttentionHeads {

    private AttentionHeads() {}

    /** [batch, seq, heads * dim] -> [batch, heads, seq, dim]. */
    public static NDArray split(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    /** [batch, heads, seq, dim] -> [batch, seq, heads * dim]. */
    public static NDArray merge(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    /**
     * softmax(q k^T / sqrt(d) + mask) v, with dropout on the probabilities while training.
     *
     * @param mask additive, broadcastable to [batch, heads, q, k], or {@code null}
     * @return [context [batch, heads, q, dim], probabilities [batch, heads, q, k]]
     */
    public static NDList attend(
            NDArray q, NDArray k, NDArray v, NDArray mask, float dropout, boolean training) {
        return attend(q, k, v, mask, (float) (1 / Math.sqrt(q.getShape().get(3))), dropout, training);
    }

    /** As {@link #attend(NDArray, NDArray, NDArray, NDArray, float, boolean)} with its own score scale. */
    public static NDList attend(
            NDArray q, NDArray k, NDArray v, NDArray mask, float scale, float dropout, boolean training) {
        // In place, and released once the probabilities exist: the scores are the largest arrays of
        // a forward ([batch, heads, q, k]), and neither matmul, the scaling, the mask nor softmax
        // saves them for the backward pass (softmax saves its output).
        NDArray scores = Scalars.muli(q.matMul(k.transpose(0, 1, 3, 2)), scale);
        if (mask != null) {
            scores.addi(mask);
        }
        NDArray probs = scores.softmax(-1);
        scores.close();
        NDArray dropped = Dropouts.apply(probs, dropout, training);
        return new NDList(dropped.matMul(v), probs);
    }

    /**
     * HF's extended attention mask: 0 where {@code attentionMask} is 1, the lowest float where
     * it is 0, shaped [batch, 1, 1, seq] to add to the scores.
     */
    public static NDArray paddingMask(NDArray attentionMask) {
        Shape s = attentionMask.getShape();
        NDArray keep = attentionMask.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return Scalars.mul(keep.neg().add(1f), -Float.MAX_VALUE).reshape(s.get(0), 1, 1, s.get(1));
    }
}
