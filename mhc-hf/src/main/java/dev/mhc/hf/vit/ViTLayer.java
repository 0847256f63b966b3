package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDList attention = forwardChild(
                "attention", ps, forwardChild("layernorm_before", ps, new NDList(x), training, params),
                training, params);
        NDArray h = attention.get(0).add(x);
        NDList normed = forwardChild("layernorm_after", ps, new NDList(h), training, params);
        NDArray up = forwardChild("intermediate", ps, normed, training, params).head();
        NDArray out = forwardChild("output", ps, new NDList(up, h), training, params).head();
        return new NDList(out, attention.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
