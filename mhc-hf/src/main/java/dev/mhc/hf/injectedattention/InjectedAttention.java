package dev.mhc.hf.injectedattention;

import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.Adapters;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.gemma3.Gemma3Family;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Gemma 3 with attention injected at every global-attention layer (the seeds' plug-and-play
 * "Lyra"), built the robust way: config, then architecture, then weights by name ({@link
 * AutoModel}), then modified in place: each global layer is wrapped in an {@link
 * InjectedAttentionLayer} whose {@link InjectedAttentionBlock} starts as a copy of the layer's
 * attention and uses its own KV-cache slot. A switch turns all blocks off, which gives exactly the
 * base model; the blocks' parameters train, save and load on their own.
 *
 * <pre>{@code
 * try (InjectedAttention injected = InjectedAttention.fromPretrained(dir)) {  // gate 0: the base model
 *     ... train injected.parameters() ...
 *     injected.save(out);
 * }
 * InjectedAttention again = InjectedAttention.load(AutoModel.fromPretrained(dir), out);
 * }</pre>
 */
public final class InjectedAttention implements AutoCloseable {

    private final PretrainedModel model;
    private final List<InjectedAttentionLayer> layers;

    private InjectedAttention(PretrainedModel model, List<InjectedAttentionLayer> layers) {
        this.model = model;
        this.layers = layers;
    }

    /** The kind behind this facade, for code that handles every kind alike. */
    public static AdapterKind<InjectedAttentionConfig, InjectedAttentionLayer> kind() {
        return InjectedAttentionKind.INSTANCE;
    }

    /** Loads Gemma 3 from a checkpoint directory and injects; blocks start with gate 0 (= the base model). */
    public static InjectedAttention fromPretrained(Path dir) throws IOException {
        return attach(AutoModel.fromPretrained(dir), 0f);
    }

    /**
     * Injects into a loaded Gemma3ForCausalLM in place.
     *
     * @param initialGate each block's starting gate: 0 keeps the base model's function, 1 adds the
     *     copied attention's full output
     */
    public static InjectedAttention attach(PretrainedModel model, float initialGate) {
        checkGemma(model);
        return new InjectedAttention(model, Adapters.inject(model.block(), InjectedAttentionKind.INSTANCE,
                InjectedAttentionKind.TARGET, new InjectedAttentionConfig(initialGate)));
    }

    /** Injects the blocks saved by {@link #save} into a model without them, matched by layer path. */
    public static InjectedAttention load(PretrainedModel model, Path dir) throws IOException {
        checkGemma(model);
        return new InjectedAttention(model, Adapters.load(model.block(), InjectedAttentionKind.INSTANCE, dir));
    }

    private static void checkGemma(PretrainedModel model) {
        if (model.family() != Gemma3Family.FAMILY || !(model.block() instanceof RotaryDecoderForCausalLM)) {
            throw new IllegalArgumentException("attention injection needs a Gemma3ForCausalLM; " + model + " is a "
                    + model.architecture());
        }
    }

    public PretrainedModel model() {
        return model;
    }

    /** @return the Gemma3ForCausalLM injected into */
    public RotaryDecoderForCausalLM lm() {
        return (RotaryDecoderForCausalLM) model.block();
    }

    public List<InjectedAttentionBlock> blocks() {
        return layers.stream().map(InjectedAttentionLayer::block).toList();
    }

    /** Turns every injected block on or off; off computes exactly the base model. */
    public void setEnabled(boolean on) {
        layers.get(0).enabled().on = on;
    }

    public boolean enabled() {
        return layers.get(0).enabled().on;
    }

    /** @return the injected blocks' parameters by key ({@code model.layers.5.injected_attn_block.gate}) */
    public Map<String, Parameter> parameters() {
        return Adapters.parameters(model.block(), InjectedAttentionKind.INSTANCE);
    }

    /** @return how many scalars the injection added */
    public long parameterCount() {
        return parameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /**
     * Writes {@code injected_attention_config.json} and {@code injected_attention.safetensors} (the
     * blocks' parameters alone) into {@code dir}, replacing an earlier save as one unit.
     */
    public void save(Path dir) throws IOException {
        Adapters.save(model.block(), InjectedAttentionKind.INSTANCE, dir);
    }

    /** Takes the blocks out and unhooks the layers; the model is the base model again. */
    public int remove() {
        return Adapters.remove(model.block(), InjectedAttentionKind.INSTANCE);
    }

    @Override
    public void close() {
        model.close();
    }
}
