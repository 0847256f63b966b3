package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.LayerNorm;

/** A pre-norm decoder block (the mHC injection target). */
public class GPT2Block extends Module {

    public GPT2Block(GPT2Config config, int layerIdx) {
        register("ln_1", new LayerNorm(config.nEmbd(), config.layerNormEpsilon()));
        register("attn", new GPT2Attention(config, layerIdx));
        register("ln_2", new LayerNorm(config.nEmbd(), config.layerNormEpsilon()));
        register("mlp", new GPT2MLP(config));
    }

    /** Inputs: [hidden, additive causal mask]; outputs: [hidden, attention probabilities]. */
    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDList normed = forwardChild("ln_1", ps, new NDList(x), training, params);
        NDList attention = forwardChild("attn", ps, new NDList(normed.head(), inputs.get(1)), training, params);
        NDArray h = attention.get(0).add(x);
        NDArray mlp = forwardChild("mlp", ps, forwardChild("ln_2", ps, new NDList(h), training, params),
                training, params).head();
        return new NDList(h.add(mlp), attention.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
