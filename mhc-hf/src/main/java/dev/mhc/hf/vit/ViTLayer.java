package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.LayerNorm;

/** A pre-norm transformer layer (the mHC injection target). */
public class ViTLayer extends Module {

    public ViTLayer(ViTConfig config) {
        register("attention", new ViTAttention(config));
        register("intermediate", new ViTIntermediate(config));
        register("output", new ViTOutput(config));
        register("layernorm_before", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        register("layernorm_after", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /** Inputs: [hidden]; outputs: [hidden, attention probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        NDList attention = f.outputs("attention", f.call("layernorm_before", x));
        NDArray h = attention.get(0).add(x);
        NDArray up = f.call("intermediate", f.call("layernorm_after", h));
        NDArray out = f.call("output", up, h);
        return new NDList(out, attention.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
