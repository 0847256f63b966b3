package dev.mhc.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.mhc.core.nn.Scalars;

/** A scalar to minimise, from a model's outputs and the batch's labels. */
@FunctionalInterface
public interface Loss {

    /** Label value that takes no part in the loss, as HF's -100. */
    long IGNORE = -100;

    NDArray compute(NDList outputs, NDArray labels);

    /** Mean cross-entropy of logits [batch, classes] against class ids [batch]. */
    static Loss softmaxCrossEntropy() {
        return (outputs, labels) -> {
            NDArray logProbs = outputs.head().logSoftmax(-1);
            NDArray picked = logProbs.get(new NDIndex().addAllDim().addPickDim(labels.toType(DataType.INT64, false)
                    .expandDims(-1)));
            return picked.mean().neg();
        };
    }

    /**
     * Next-token cross-entropy of logits [batch, seq, vocab] against the input ids [batch, seq]:
     * position t predicts token t + 1; labels equal to {@link #IGNORE} (padding) are left out.
     */
    static Loss causalLm() {
        return (outputs, labels) -> {
            NDArray logits = outputs.head();
            long seq = logits.getShape().get(1);
            NDArray shifted = logits.get(new NDIndex(":, 0:{}, :", seq - 1)).logSoftmax(-1);
            NDArray targets = labels.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
            NDArray keep = targets.neq(IGNORE).toType(DataType.FLOAT32, false);
            NDArray safe = targets.mul(targets.neq(IGNORE).toType(DataType.INT64, false));
            NDArray picked = shifted.get(new NDIndex().addAllDim(2).addPickDim(safe.expandDims(-1))).squeeze(-1);
            return picked.mul(keep).sum().div(Scalars.maximum(keep.sum(), 1)).neg();
        };
    }
}
