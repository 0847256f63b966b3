package dev.mhc.hf.lyra;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.gemma3.Gemma3DecoderLayer;
import dev.mhc.hf.gemma3.Gemma3ForCausalLM;
import dev.mhc.hf.gemma3.Gemma3TextConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seeds' plug-and-play Gemma 3 with attention injected at every global-attention layer, built
 * the robust way: config, then architecture, then weights by name ({@link AutoModel}), then
 * modified in place: each global {@link Gemma3DecoderLayer} is wrapped in a {@link
 * LyraDecoderLayer} whose {@link InjectedAttentionBlock} starts as a copy of the layer's attention
 * and uses its own KV-cache slot (after the model's layers). A switch turns all blocks off, which
 * gives exactly the base model; the blocks' parameters train and save on their own.
 */
public final class Lyra implements AutoCloseable {

    /** On/off for all injected blocks of one model. */
    static final class Switch {
        private volatile boolean on = true;

        boolean on() {
            return on;
        }
    }

    private final PretrainedModel model;
    private final Switch enabled = new Switch();
    private final List<LyraDecoderLayer> layers = new ArrayList<>();

    private Lyra(PretrainedModel model, float initialGate) {
        if (!(model.block() instanceof Gemma3ForCausalLM lm)) {
            throw new IllegalArgumentException("Lyra needs a Gemma3ForCausalLM; " + model + " is a "
                    + model.architecture());
        }
        Gemma3TextConfig config = lm.config();
        int slot = config.numHiddenLayers();
        for (ModuleTree.Entry entry : ModuleTree.select(lm, Selector.byClass(Gemma3DecoderLayer.class))) {
            Gemma3DecoderLayer layer = (Gemma3DecoderLayer) entry.block();
            if (layer.isSliding()) {
                continue;
            }
            InjectedAttentionBlock block = new InjectedAttentionBlock(config, slot++, initialGate);
            Weights.initialize(block, model.manager());
            copy(layer, block);
            LyraDecoderLayer wrapped = new LyraDecoderLayer(layer, block, enabled);
            ModuleTree.replace(entry, wrapped);
            layers.add(wrapped);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no global-attention layer to inject into");
        }
        this.model = model;
    }

    /** Loads Gemma 3 from a checkpoint directory and injects; blocks start with gate 0 (= the base model). */
    public static Lyra fromPretrained(Path dir) throws IOException {
        return attach(AutoModel.fromPretrained(dir), 0f);
    }

    /**
     * Injects into a loaded Gemma3ForCausalLM in place.
     *
     * @param initialGate each block's starting gate: 0 keeps the base model's function, 1 adds the
     *     copied attention's full output
     */
    public static Lyra attach(PretrainedModel model, float initialGate) {
        return new Lyra(model, initialGate);
    }

    public PretrainedModel model() {
        return model;
    }

    public Gemma3ForCausalLM lm() {
        return (Gemma3ForCausalLM) model.block();
    }

    public List<InjectedAttentionBlock> blocks() {
        return layers.stream().map(LyraDecoderLayer::block).toList();
    }

    /** Turns every injected block on or off; off computes exactly the base model. */
    public void setEnabled(boolean on) {
        enabled.on = on;
    }

    public boolean enabled() {
        return enabled.on();
    }

    /** @return the injected blocks' parameters by key ({@code model.layers.5.injected_attn_block.gate}) */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> injected = new LinkedHashMap<>();
        ModuleTree.parameters(model.block()).forEach((key, p) -> {
            if (key.contains(".injected_attn_block.")) {
                injected.put(key, p);
            }
        });
        return injected;
    }

    /** @return how many scalars the injection added */
    public long parameterCount() {
        return parameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /** Writes the injected blocks' parameters alone, as safetensors (atomically). */
    public void save(Path file) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        parameters().forEach((key, p) -> tensors.put(key, p.getArray()));
        SafetensorsWriter.write(file, tensors, Map.of("format", "lyra"));
    }

    /** Reads parameters {@link #save} wrote; the keys and shapes must match this model's blocks. */
    public void load(Path file) throws IOException {
        Map<String, Parameter> expected = parameters();
        try (SafetensorsFile saved = SafetensorsFile.open(file)) {
            Set<String> missing = new LinkedHashSet<>(expected.keySet());
            missing.removeAll(saved.names());
            Set<String> unexpected = new LinkedHashSet<>(saved.names());
            unexpected.removeAll(expected.keySet());
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new IOException(file + " does not fit this model's injected blocks: missing " + missing
                        + ", unexpected " + unexpected);
            }
            for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                if (!new ai.djl.ndarray.types.Shape(saved.info(e.getKey()).shape()).equals(e.getValue().getShape())) {
                    throw new IOException(file + ": " + e.getKey() + " has shape "
                            + java.util.Arrays.toString(saved.info(e.getKey()).shape()) + ", expected " + e.getValue().getShape());
                }
            }
            for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                e.getValue().getArray().set(saved.readFloats(e.getKey()));
            }
        }
    }

    /** The block's norms and attention take the layer's own weights (a deep copy, not shared). */
    private static void copy(Gemma3DecoderLayer layer, InjectedAttentionBlock block) {
        Map<String, Parameter> source = ModuleTree.parameters(layer);
        ModuleTree.parameters(block).forEach((key, target) -> {
            Parameter from = source.get(key);
            if (from != null) {
                target.getArray().set(from.getArray().toFloatArray());
            }
        });
    }

    @Override
    public void close() {
        model.close();
    }
}
