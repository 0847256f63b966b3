package dev.mhc.hf.rotary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.streams.Residual;
import dev.mhc.core.streams.ResidualBranches;
import java.util.List;

/**
 * A pre-norm decoder layer (HF's {@code LlamaDecoderLayer}, {@code Qwen2DecoderLayer}, {@code
 * Qwen3DecoderLayer}): h = x + self_attn(input_layernorm(x)); out = h +
 * mlp(post_attention_layernorm(h)). The mHC injection target; its mask and rotary tables come
 * as inputs from the model.
 */
public class RotaryDecoderLayer extends Module implements ResidualBranches {

    private final DecoderLayerSpec spec;

    /** @param layerIdx its index, which is also its KV-cache slot */
    public RotaryDecoderLayer(DecoderLayerSpec spec, int layerIdx) {
        this.spec = spec;
        register("self_attn", new RotaryAttention(spec.attention(), layerIdx));
        register("mlp", new GatedMLP(spec.family(), spec.hiddenSize(), spec.intermediateSize(), spec.hiddenAct(),
                spec.mlpBias()));
        register("input_layernorm", norm());
        register("post_attention_layernorm", norm());
    }

    private RMSNorm norm() {
        return new RMSNorm(spec.family(), spec.hiddenSize(), spec.rmsNormEps(), RMSNorm.Scale.WEIGHT);
    }

    @Override
    public String className() {
        return spec.family() + "DecoderLayer";
    }

    /** Inputs: [hidden, additive mask, cos, sin]; outputs: [hidden, attention probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        return forwardResidual(f, inputs, Residual.PLAIN);
    }

    @Override
    public long hiddenSize() {
        return spec.hiddenSize();
    }

    @Override
    public List<String> residualBranches() {
        return List.of("attn", "mlp");
    }

    @Override
    public NDList forwardResidual(Forward f, NDList inputs, Residual residual) {
        NDList[] attention = new NDList[1];
        NDArray h = residual.add(0, inputs.get(0), x -> {
            attention[0] = f.outputs("self_attn", f.call("input_layernorm", x), inputs.get(1), inputs.get(2),
                    inputs.get(3));
            return attention[0].get(0);
        });
        NDArray out = residual.add(1, h, x -> f.call("mlp", f.call("post_attention_layernorm", x)));
        return new NDList(out, attention[0].get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
