package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
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
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDList normed = f.outputs("ln_1", x);
        NDList attention = f.outputs("attn", normed.head(), inputs.get(1));
        NDArray h = attention.get(0).add(x);
        NDArray mlp = f.call("mlp", f.call("ln_2", h));
        return new NDList(h.add(mlp), attention.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
