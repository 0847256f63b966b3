package dev.mhc.hf.rotary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Scalars;

/**
 * x / sqrt(mean(x^2) + eps), scaled by {@code weight} (Llama, Qwen) or by {@code 1 + weight}
 * (Gemma, whose weight starts at 0).
 */
public class RMSNorm extends Module {

    /** How the learned weight scales the normalised input. */
    public enum Scale {
        /** weight * x̂; the weight starts at 1. */
        WEIGHT,
        /** (1 + weight) * x̂; the weight starts at 0. */
        ONE_PLUS_WEIGHT
    }

    private final String family;
    private final float eps;
    private final Scale scale;
    private final Parameter weight;

    /** @param family the HF class-name prefix ({@code "Llama"} makes a {@code LlamaRMSNorm}) */
    public RMSNorm(String family, long size, double eps, Scale scale) {
        this.family = family;
        this.eps = (float) eps;
        this.scale = scale;
        float initial = scale == Scale.WEIGHT ? 1f : 0f;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(size)).optInitializer(new ConstantInitializer(initial)).build());
    }

    @Override
    public String className() {
        return family + "RMSNorm";
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        NDArray normed = x.mul(Scalars.pow(x.square().mean(new int[] {-1}, true).add(eps), -0.5));
        NDArray w = f.value(weight, x);
        return new NDList(normed.mul(scale == Scale.WEIGHT ? w : w.add(1f)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
