package dev.mhc.core.streams;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.ConfigFiles;
import dev.mhc.core.adapter.SavedAdapter;
import dev.mhc.core.adapter.SavedTarget;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Multi-stream hyper-connections as an {@link AdapterKind}: they wrap layers that expose their
 * residual branches ({@link ResidualBranches}); {@code streams_config.json} and {@code
 * streams_weights.safetensors}.
 */
final class StreamsKind implements AdapterKind<StreamsConfig, HyperConnectedLayer> {

    static final StreamsKind INSTANCE = new StreamsKind();

    private static final String FORMAT = "mhc-java/streams/1";

    /** The config file. */
    record Saved(String format, StreamsConfig settings, SavedTarget target, List<SavedAdapter.Layer> layers) {}

    private StreamsKind() {}

    @Override
    public String name() {
        return "hyper-connections";
    }

    @Override
    public Class<HyperConnectedLayer> layerType() {
        return HyperConnectedLayer.class;
    }

    @Override
    public boolean adapts(ModuleTree.Entry entry) {
        return entry.block() instanceof ResidualBranches && entry.block() instanceof Module;
    }

    @Override
    public String nothingToAdapt(Block model, Selector target) {
        Set<String> classes = new TreeSet<>();
        ModuleTree.find(model, target).forEach(e -> classes.add(e.className()));
        if (classes.isEmpty()) {
            return null;
        }
        String message = target.describe() + " selects " + classes + ", which do not expose their residual"
                + " branches: multi-stream connections reroute the residual adds of pre-norm layers (GPT2Block,"
                + " Gemma3DecoderLayer, ViTLayer implement ResidualBranches).";
        if (classes.contains("BertLayer")) {
            message += " BertLayer is post-norm, LayerNorm(x + F(x)): the norm inside every layer would fold the"
                    + " streams back into one, so BERT takes history mixing (Mhc.injectMhc) instead.";
        }
        return message;
    }

    /** Branch k of the network (in tree order, counting every layer's branches) reads stream k mod n first. */
    @Override
    public List<HyperConnectedLayer> wrap(Module root, Selector target, List<ModuleTree.Entry> targets,
            StreamsConfig settings, NDManager manager) {
        StreamsInjection injection = new StreamsInjection(settings, target, root);
        List<HyperConnectedLayer> layers = new ArrayList<>();
        int branch = 0;
        for (int i = 0; i < targets.size(); i++) {
            ResidualBranches base = (ResidualBranches) targets.get(i).block();
            List<BranchConnection> connections = new ArrayList<>();
            for (int b = 0; b < base.residualBranches().size(); b++, branch++) {
                connections.add(connection(settings, base.hiddenSize(), branch % settings.streams(), manager));
            }
            layers.add(new HyperConnectedLayer(base, targets.get(i).path(), i + 1, injection, connections));
        }
        return layers;
    }

    private static BranchConnection connection(StreamsConfig settings, long hidden, int home, NDManager manager) {
        Variant variant = settings.variant();
        return variant.manifold()
                ? new ManifoldHyperConnection(settings.streams(), hidden, variant.dynamic(), home,
                        settings.sinkhornIterations(), manager)
                : new HyperConnection(settings.streams(), hidden, variant.dynamic(), home, manager);
    }

    @Override
    public StreamsConfig settings(List<HyperConnectedLayer> layers) {
        if (layers.stream().map(HyperConnectedLayer::injection).distinct().count() > 1) {
            throw new IllegalStateException("the model holds several stream injections; a save records one");
        }
        return layers.get(0).config();
    }

    @Override
    public Map<String, Shape> parameterShapes(ModuleTree.Entry target, StreamsConfig settings) {
        ResidualBranches base = (ResidualBranches) target.block();
        int n = settings.streams();
        long c = base.hiddenSize();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String branch : base.residualBranches()) {
            String prefix = "streams_" + branch + ".";
            if (settings.variant().manifold()) {
                shapes.put(prefix + ManifoldHyperConnection.PRE_BIAS, new Shape(n));
                shapes.put(prefix + ManifoldHyperConnection.POST_BIAS, new Shape(n));
                shapes.put(prefix + ManifoldHyperConnection.RES_BIAS, new Shape(n, n));
                if (settings.variant().dynamic()) {
                    shapes.put(prefix + ManifoldHyperConnection.PRE_PROJ, new Shape(n * c, n));
                    shapes.put(prefix + ManifoldHyperConnection.POST_PROJ, new Shape(n * c, n));
                    shapes.put(prefix + ManifoldHyperConnection.RES_PROJ, new Shape(n * c, (long) n * n));
                    shapes.put(prefix + ManifoldHyperConnection.PRE_GATE, new Shape(1));
                    shapes.put(prefix + ManifoldHyperConnection.POST_GATE, new Shape(1));
                    shapes.put(prefix + ManifoldHyperConnection.RES_GATE, new Shape(1));
                }
            } else {
                shapes.put(prefix + HyperConnection.PRE, new Shape(n));
                shapes.put(prefix + HyperConnection.RES, new Shape(n, n));
                shapes.put(prefix + HyperConnection.POST, new Shape(n));
                if (settings.variant().dynamic()) {
                    shapes.put(prefix + HyperConnection.DYNAMIC_PRE_RES, new Shape(c, n + 1));
                    shapes.put(prefix + HyperConnection.DYNAMIC_POST, new Shape(c, 1));
                    shapes.put(prefix + HyperConnection.DYNAMIC_PRE_RES_SCALE, new Shape(1));
                    shapes.put(prefix + HyperConnection.DYNAMIC_POST_SCALE, new Shape(1));
                }
            }
        }
        return shapes;
    }

    @Override
    public String configFile() {
        return "streams_config.json";
    }

    @Override
    public String weightsFile() {
        return "streams_weights.safetensors";
    }

    @Override
    public Map<String, String> weightsMetadata() {
        return Map.of("format", FORMAT);
    }

    @Override
    public byte[] writeConfig(List<HyperConnectedLayer> layers) throws IOException {
        List<SavedAdapter.Layer> recorded = layers.stream()
                .map(l -> new SavedAdapter.Layer(l.path(), ModuleTree.className(l.wrapped())))
                .toList();
        return ConfigFiles.JSON.writeValueAsBytes(new Saved(FORMAT, settings(layers),
                SavedTarget.of(layers.get(0).injection().target), recorded));
    }

    @Override
    public SavedAdapter<StreamsConfig> readConfig(Path file) throws IOException {
        Saved saved = ConfigFiles.read(file, Saved.class, "streams config");
        ConfigFiles.checkFormat(file, saved.format(), FORMAT);
        if (saved.settings() == null || saved.layers() == null || saved.layers().isEmpty()) {
            throw new IOException(file + " records no settings or no layers");
        }
        if (saved.target() != null && !saved.target().valid()) {
            throw new IOException(file + ": target must give either class_name or path_regex, got " + saved.target());
        }
        Selector target = saved.target() != null ? saved.target().selector()
                : Selector.byPaths(saved.layers().stream().map(SavedAdapter.Layer::path).toList());
        return new SavedAdapter<>(saved.settings(), target, saved.layers());
    }
}
