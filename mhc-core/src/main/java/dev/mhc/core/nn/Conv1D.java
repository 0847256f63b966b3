package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/**
 * Hugging Face's {@code Conv1D} (GPT-2's projections): a linear layer whose weight is stored
 * transposed, [in, out], so y = x W + b. Kept as its own block so checkpoints load unchanged.
 */
public class Conv1D extends Module implements LinearLike {

    private final long inFeatures;
    private final long outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Conv1D(long inFeatures, long outFeatures) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = addParameter(Weights.normal("weight", new Shape(inFeatures, outFeatures)));
        this.bias = addParameter(Weights.zeros("bias", new Shape(outFeatures)));
    }

    @Override
    public boolean weightTransposed() {
        return true;
    }

    @Override
    public long inFeatures() {
        return inFeatures;
    }

    @Override
    public long outFeatures() {
        return outFeatures;
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    @Override
    public Parameter bias() {
        return bias;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        NDArray w = f.value(weight, x);
        return new NDList(x.matMul(w).add(f.value(bias, x)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }
}
