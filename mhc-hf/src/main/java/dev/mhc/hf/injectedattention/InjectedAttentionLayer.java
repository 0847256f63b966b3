package dev.mhc.hf.injectedattention;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterModule;
import dev.mhc.core.module.HookHandle;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.hf.gemma3.Gemma3DecoderLayer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A global Gemma 3 layer with an {@link InjectedAttentionBlock}, added without copying the layer's
 * code: the wrapper remembers its call's inputs, and a pre-hook on the layer's {@code
 * pre_feedforward_layernorm} feeds that norm h' = block(h) instead of h. The layer keeps its
 * path and keys; the block sits below it as {@code injected_attn_block}.
 */
public final class InjectedAttentionLayer extends AdapterModule {

    static final String BLOCK = "injected_attn_block";

    /** On/off for all blocks of one injection. */
    static final class Switch {
        volatile boolean on = true;
    }

    private record Call(Forward f, NDList inputs) {}

    private final ThreadLocal<Call> call = new ThreadLocal<>();
    private final InjectedAttentionConfig config;
    private final Switch enabled;
    private HookHandle hook;

    InjectedAttentionLayer(Gemma3DecoderLayer layer, String path, InjectedAttentionBlock block,
            InjectedAttentionConfig config, Switch enabled) {
        super(layer, path);
        this.config = config;
        this.enabled = enabled;
        register(BLOCK, block);
    }

    public InjectedAttentionBlock block() {
        return (InjectedAttentionBlock) child(BLOCK);
    }

    InjectedAttentionConfig config() {
        return config;
    }

    Switch enabled() {
        return enabled;
    }

    @Override
    public Map<String, Parameter> ownParameters() {
        Map<String, Parameter> own = new LinkedHashMap<>();
        ModuleTree.parameters(block()).forEach((key, p) -> own.put(BLOCK + "." + key, p));
        return own;
    }

    @Override
    public void onInjected() {
        InjectedAttentionBlock block = block();
        hook = ((Module) ((Module) wrapped()).child("pre_feedforward_layernorm")).registerForwardPreHook((norm, in) -> {
            Call current = call.get();
            if (current == null || !enabled.on) {
                return null;
            }
            NDList blockInputs = new NDList(in.head(), current.inputs().get(1), current.inputs().get(2),
                    current.inputs().get(3));
            return current.f().run(block, blockInputs);
        });
    }

    @Override
    public void beforeRemoval() {
        if (hook != null) {
            hook.remove();
            hook = null;
        }
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        Call outer = call.get();
        call.set(new Call(f, inputs));
        try {
            return f.run(wrapped(), inputs);
        } finally {
            if (outer == null) {
                call.remove();
            } else {
                call.set(outer);
            }
        }
    }

}
