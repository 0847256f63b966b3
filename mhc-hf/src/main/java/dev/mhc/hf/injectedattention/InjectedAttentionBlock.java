package dev.mhc.hf.injectedattention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.hf.gemma3.Gemma3DecoderLayer;
import dev.mhc.hf.gemma3.Gemma3TextConfig;
import dev.mhc.hf.rotary.RotaryAttention;

/**
 * A second attention pass inside a global Gemma 3 layer, run on the residual stream after the
 * layer's attention residual add and before its {@code pre_feedforward_layernorm}:
 *
 * <pre>  h' = h + gate * post_attention_layernorm(self_attn(input_layernorm(h)))</pre>
 *
 * Its norms and attention start as copies of the layer's own (so the pass re-reads the context
 * with the pretrained attention); it keeps its own KV-cache slot. The gate starts at 0 by
 * default, which makes the injected model compute exactly the base model until training moves it.
 */
public class InjectedAttentionBlock extends Module {

    static final String GATE = "gate";

    private final Parameter gate;

    InjectedAttentionBlock(Gemma3TextConfig config, int cacheSlot, float initialGate) {
        register("input_layernorm", Gemma3DecoderLayer.norm(config));
        register("self_attn", new RotaryAttention(config.attention(), cacheSlot));
        register("post_attention_layernorm", Gemma3DecoderLayer.norm(config));
        gate = addParameter(Parameter.builder().setName(GATE).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(initialGate)).build());
    }

    public Parameter gate() {
        return gate;
    }

    /** Inputs: [h, mask, cos, sin] (the layer's mask and rotary tables); outputs: [h']. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray h = inputs.get(0);
        NDArray normed = f.call("input_layernorm", h);
        NDArray attended = f.call("self_attn", normed, inputs.get(1), inputs.get(2), inputs.get(3));
        NDArray out = f.call("post_attention_layernorm", attended);
        return new NDList(h.add(out.mul(f.value(gate, h))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
