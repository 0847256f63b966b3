package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.streams.Residual;
import dev.mhc.core.streams.ResidualBranches;
import dev.mhc.hf.rotary.GatedMLP;
import dev.mhc.hf.rotary.RMSNorm;
import dev.mhc.hf.rotary.RotaryAttention;
import java.util.List;

/**
 * A Gemma 3 layer, sandwich-normed: h + post_attention_layernorm(self_attn(input_layernorm(h))),
 * then the same around the MLP with pre/post feed-forward norms. The mHC injection target; its
 * mask and rotary tables come as inputs, chosen by the model for the layer's kind.
 */
public class Gemma3DecoderLayer extends Module implements ResidualBranches {

    private final Gemma3TextConfig config;
    private final boolean sliding;

    public Gemma3DecoderLayer(Gemma3TextConfig config, int layerIdx) {
        this.config = config;
        this.sliding = config.isSliding(layerIdx);
        register("self_attn", new RotaryAttention(config.attention(), layerIdx));
        register("mlp", new GatedMLP(Gemma3TextConfig.FAMILY, config.hiddenSize(), config.intermediateSize(),
                config.hiddenActivation(), false));
        register("input_layernorm", norm(config));
        register("post_attention_layernorm", norm(config));
        register("pre_feedforward_layernorm", norm(config));
        register("post_feedforward_layernorm", norm(config));
    }

    /** @return a Gemma3RMSNorm over the hidden size: (1 + weight) x̂ */
    public static RMSNorm norm(Gemma3TextConfig config) {
        return new RMSNorm(Gemma3TextConfig.FAMILY, config.hiddenSize(), config.rmsNormEps(),
                RMSNorm.Scale.ONE_PLUS_WEIGHT);
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
        return forwardResidual(f, inputs, Residual.PLAIN);
    }

    @Override
    public long hiddenSize() {
        return config.hiddenSize();
    }

    @Override
    public List<String> residualBranches() {
        return List.of("attn", "mlp");
    }

    /**
     * x + post_attention_layernorm(self_attn(input_layernorm(x))), then h +
     * post_feedforward_layernorm(mlp(pre_feedforward_layernorm(h))), each add made by {@code residual}.
     */
    @Override
    public NDList forwardResidual(Forward f, NDList inputs, Residual residual) {
        NDList[] attention = new NDList[1];
        NDArray h = residual.add(0, inputs.get(0), x -> {
            attention[0] = f.outputs("self_attn", f.call("input_layernorm", x), inputs.get(1), inputs.get(2),
                    inputs.get(3));
            return f.call("post_attention_layernorm", attention[0].get(0));
        });
        NDArray out = residual.add(1, h,
                x -> f.call("post_feedforward_layernorm", f.call("mlp", f.call("pre_feedforward_layernorm", x))));
        return new NDList(out, attention[0].get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
