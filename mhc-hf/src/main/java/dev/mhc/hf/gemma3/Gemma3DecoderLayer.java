package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/**
 * A Gemma 3 layer, sandwich-normed: h + post_attention_layernorm(self_attn(input_layernorm(h))),
 * then the same around the MLP with pre/post feed-forward norms. The mHC injection target; its
 * mask and rotary tables come as inputs, chosen by the model for the layer's kind.
 */
public class Gemma3DecoderLayer extends Module {

    private final Gemma3TextConfig config;
    private final boolean sliding;

    public Gemma3DecoderLayer(Gemma3TextConfig config, int layerIdx) {
        this.config = config;
        this.sliding = config.isSliding(layerIdx);
        double eps = config.rmsNormEps();
        register("self_attn", new Gemma3Attention(config, layerIdx));
        register("mlp", new Gemma3MLP(config));
        register("input_layernorm", new Gemma3RMSNorm(config.hiddenSize(), eps));
        register("post_attention_layernorm", new Gemma3RMSNorm(config.hiddenSize(), eps));
        register("pre_feedforward_layernorm", new Gemma3RMSNorm(config.hiddenSize(), eps));
        register("post_feedforward_layernorm", new Gemma3RMSNorm(config.hiddenSize(), eps));
    }

    public Gemma3TextConfig config() {
        return config;
    }

    /** @return whether this layer attends within the sliding window */
    public boolean isSliding() {
        return sliding;
    }

    /** Inputs: [hidden, additive mask, cos, sin]; outputs: [hidden, attention probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray normed = f.call("input_layernorm", x);
        NDList attention = f.outputs("self_attn", normed, inputs.get(1), inputs.get(2), inputs.get(3));
        NDArray h = x.add(f.call("post_attention_layernorm", attention.get(0)));
        NDArray mlp = f.call("mlp", f.call("pre_feedforward_layernorm", h));
        return new NDList(h.add(f.call("post_feedforward_layernorm", mlp)), attention.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
