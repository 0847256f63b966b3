package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/** torch's {@code nn.Linear}: y = x W^T + b, W of shape [out, in]. */
public class Linear extends Module implements LinearLike {

    private final long inFeatures;
    private final long outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(long inFeatures, long outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this(Weights.normal("weight", new Shape(outFeatures, inFeatures)), bias);
    }

    private Linear(Parameter weight, boolean bias) {
        this.outFeatures = weight.getShape().get(0);
        this.inFeatures = weight.getShape().get(1);
        this.weight = addParameter(weight);
        this.bias = bias ? addParameter(Weights.zeros("bias", new Shape(outFeatures))) : null;
    }

    /**
     * A bias-free Linear sharing {@code weight} [out, in] with another block (tied weights, as an
     * LM head on its word embeddings): both keys load the one parameter.
     */
    public static Linear tiedTo(Parameter weight) {
        if (weight.getShape() == null || weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("a tied weight must be 2-D with a known shape, got " + weight.getShape());
        }
        return new Linear(weight, false);
    }

    @Override
    public boolean weightTransposed() {
        return false;
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

    /** @return the bias, or {@code null} without one */
    @Override
    public Parameter bias() {
        return bias;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        NDArray w = f.value(weight, x);
        NDArray b = bias == null ? null : f.value(bias, x);
        return ai.djl.nn.core.Linear.linear(x, w, b);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }
}
