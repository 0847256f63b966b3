package dev.mhc.hf.injectedattention;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.ConfigFiles;
import dev.mhc.core.adapter.SavedAdapter;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.gemma3.Gemma3DecoderLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The injected attention as an {@link AdapterKind}: it wraps the global {@link Gemma3DecoderLayer}s;
 * {@code injected_attention_config.json} and {@code injected_attention.safetensors}.
 */
final class InjectedAttentionKind implements AdapterKind<InjectedAttentionConfig, InjectedAttentionLayer> {

    static final InjectedAttentionKind INSTANCE = new InjectedAttentionKind();
    static final Selector TARGET = Selector.byClassName(Gemma3DecoderLayer.class.getSimpleName());

    private static final String FORMAT = "mhc-java/injected-attention/1";
    /** The parts of a layer the block copies, by their names in both. */
    private static final List<String> COPIED = List.of("input_layernorm.", "self_attn.", "post_attention_layernorm.");


    /** The config file. */
    record Saved(String format, InjectedAttentionConfig settings, List<SavedAdapter.Layer> layers) {}

    private InjectedAttentionKind() {}

    @Override
    public String name() {
        return "injected attention";
    }

    @Override
    public Class<InjectedAttentionLayer> layerType() {
        return InjectedAttentionLayer.class;
    }

    /** Only global layers: the sliding ones keep their window. */
    @Override
    public boolean adapts(ModuleTree.Entry entry) {
        return entry.block() instanceof Gemma3DecoderLayer layer && !layer.isSliding();
    }

    @Override
    public String nothingToAdapt(Block model, Selector target) {
        return "the model has no global-attention Gemma3DecoderLayer to inject attention into";
    }

    /**
     * Each block starts as a deep copy of its layer's norms and attention, and takes its own
     * KV-cache slot after the model's layers.
     */
    @Override
    public List<InjectedAttentionLayer> wrap(Module root, Selector target, List<ModuleTree.Entry> targets,
            InjectedAttentionConfig settings, NDManager manager) {
        InjectedAttentionLayer.Switch enabled = new InjectedAttentionLayer.Switch();
        List<InjectedAttentionLayer> layers = new ArrayList<>();
        for (ModuleTree.Entry entry : targets) {
            Gemma3DecoderLayer layer = (Gemma3DecoderLayer) entry.block();
            int slot = layer.config().numHiddenLayers() + layers.size();
            InjectedAttentionBlock block = new InjectedAttentionBlock(layer.config(), slot, settings.initialGate());
            Weights.initialize(block, manager);
            copy(layer, block);
            layers.add(new InjectedAttentionLayer(layer, entry.path(), block, settings, enabled));
        }
        return layers;
    }

    private static void copy(Gemma3DecoderLayer layer, InjectedAttentionBlock block) {
        Map<String, Parameter> source = ModuleTree.parameters(layer);
        ModuleTree.parameters(block).forEach((key, target) -> {
            Parameter from = source.get(key);
            if (from != null) {
                Weights.assign(target.getArray(), from.getArray().toFloatArray());
            }
        });
    }

    @Override
    public InjectedAttentionConfig settings(List<InjectedAttentionLayer> layers) {
        if (layers.stream().map(InjectedAttentionLayer::enabled).distinct().count() > 1) {
            throw new IllegalStateException("the model holds several attention injections; a save records one");
        }
        return layers.get(0).config();
    }

    @Override
    public Map<String, Shape> parameterShapes(ModuleTree.Entry target, InjectedAttentionConfig settings) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        ModuleTree.parameters(target.block()).forEach((key, p) -> {
            if (COPIED.stream().anyMatch(key::startsWith)) {
                shapes.put(InjectedAttentionLayer.BLOCK + "." + key, p.getShape());
            }
        });
        shapes.put(InjectedAttentionLayer.BLOCK + "." + InjectedAttentionBlock.GATE, new Shape(1));
        return shapes;
    }

    @Override
    public String configFile() {
        return "injected_attention_config.json";
    }

    @Override
    public String weightsFile() {
        return "injected_attention.safetensors";
    }

    @Override
    public Map<String, String> weightsMetadata() {
        return Map.of("format", FORMAT);
    }

    @Override
    public byte[] writeConfig(List<InjectedAttentionLayer> layers) throws IOException {
        List<SavedAdapter.Layer> recorded = layers.stream()
                .map(l -> new SavedAdapter.Layer(l.path(), ModuleTree.className(l.wrapped())))
                .toList();
        return ConfigFiles.JSON.writeValueAsBytes(new Saved(FORMAT, settings(layers), recorded));
    }

    @Override
    public SavedAdapter<InjectedAttentionConfig> readConfig(Path file) throws IOException {
        Saved saved = ConfigFiles.read(file, Saved.class, "injected-attention config");
        ConfigFiles.checkFormat(file, saved.format(), FORMAT);
        if (saved.settings() == null || saved.layers() == null || saved.layers().isEmpty()) {
            throw new IOException(file + " records no settings or no layers");
        }
        return new SavedAdapter<>(saved.settings(), TARGET, saved.layers());
    }
}
