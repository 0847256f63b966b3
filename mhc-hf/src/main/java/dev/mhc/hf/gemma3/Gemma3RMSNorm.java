package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Scalars;

/** x / sqrt(mean(x^2) + eps) * (1 + weight): Gemma's RMSNorm, whose weight starts at 0. */
public class Gemma3RMSNorm extends Module {

    private final float eps;
    private final Parameter weight;

    public Gemma3RMSNorm(long size, double eps) {
        this.eps = (float) eps;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(size)).optInitializer(new ConstantInitializer(0f)).build());
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        NDArray normed = x.mul(Scalars.pow(x.square().mean(new int[] {-1}, true).add(eps), -0.5));
        return new NDList(normed.mul(f.value(weight, x).add(1f)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
