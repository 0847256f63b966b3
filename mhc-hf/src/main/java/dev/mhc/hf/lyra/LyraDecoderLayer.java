package dev.mhc.hf.lyra;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.Wrapper;
import dev.mhc.hf.gemma3.Gemma3DecoderLayer;

/**
 * A global Gemma 3 layer with an {@link InjectedAttentionBlock}, added without copying the layer's
 * code: the wrapper remembers its call's inputs, and a pre-hook on the layer's {@code
 * pre_feedforward_layernorm} feeds that norm h' = block(h) instead of h. The layer keeps its
 * path and keys; the block sits below it as {@code injected_attn_block}.
 */
public final class LyraDecoderLayer extends Module implements Wrapper {

    private static final String BASE = "base_layer";

    private record Call(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {}

    private final ThreadLocal<Call> call = new ThreadLocal<>();
    private final Lyra.Switch enabled;

    LyraDecoderLayer(Gemma3DecoderLayer layer, InjectedAttentionBlock block, Lyra.Switch enabled) {
        this.enabled = enabled;
        register(BASE, layer);
        register("injected_attn_block", block);
        ((Module) layer.child("pre_feedforward_layernorm")).registerForwardPreHook((norm, in) -> {
            Call current = call.get();
            if (current == null || !enabled.on()) {
                return null;
            }
            NDList blockInputs = new NDList(in.head(), current.inputs().get(1), current.inputs().get(2),
                    current.inputs().get(3));
            return block.forward(current.ps(), blockInputs, current.training(), current.params());
        });
    }

    @Override
    public Block wrapped() {
        return child(BASE);
    }

    public InjectedAttentionBlock block() {
        return (InjectedAttentionBlock) child("injected_attn_block");
    }

    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Call outer = call.get();
        call.set(new Call(ps, inputs, training, params));
        try {
            return wrapped().forward(ps, inputs, training, params);
        } finally {
            if (outer == null) {
                call.remove();
            } else {
                call.set(outer);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return wrapped().getOutputShapes(inputShapes);
    }
}
