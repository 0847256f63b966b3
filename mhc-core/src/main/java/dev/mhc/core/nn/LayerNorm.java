package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/** torch's {@code nn.LayerNorm} over the last dimension, with {@code weight} and {@code bias}. */
public class LayerNorm extends Module {

    private final long size;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(long size, double eps) {
        this.size = size;
        this.eps = (float) eps;
        this.weight = addParameter(Weights.ones("weight", new Shape(size)));
        this.bias = addParameter(Weights.zeros("bias", new Shape(size)));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        return ai.djl.nn.norm.LayerNorm.layerNorm(
                x,
                new Shape(size),
                f.value(weight, x),
                f.value(bias, x),
                eps);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
