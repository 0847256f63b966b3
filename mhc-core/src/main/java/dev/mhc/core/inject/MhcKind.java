package dev.mhc.core.inject;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import java.util.stream.Collectors;

/** History mixing as an {@link AdapterKind}: {@code mhc_config.json} and {@code mhc_weights.safetensors}. */
final class MhcKind implements AdapterKind<MhcConfig, InjectedMHC> {

    static final MhcKind INSTANCE = new MhcKind();

    private MhcKind() {}

    @Override
    public String name() {
        return "mHC";
    }

    @Override
    public Class<InjectedMHC> layerType() {
        return InjectedMHC.class;
    }

    @Override
    public List<InjectedMHC> wrap(
            Module root, Selector target, List<ModuleTree.Entry> targets, MhcConfig settings, NDManager manager) {
        Injection injection = new Injection(settings, target, root);
        List<InjectedMHC> layers = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            ModuleTree.Entry entry = targets.get(i);
            layers.add(new InjectedMHC(entry.block(), entry.path(), i + 1, injection, manager));
        }
        return layers;
    }

    @Override
    public MhcConfig settings(List<InjectedMHC> layers) {
        long injections = layers.stream().map(InjectedMHC::injection).distinct().count();
        if (injections > 1) {
            throw new IllegalStateException("the model holds " + injections + " separate mHC injections; an mhc"
                    + " directory records one, so remove all but one (or save from a model injected once)");
        }
        return layers.get(0).config();
    }

    @Override
    public Map<String, Shape> parameterShapes(ModuleTree.Entry target, MhcConfig settings) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        int h = settings.maxHistory();
        shapes.put(InjectedMHC.ALPHA, settings.constraint() == Constraint.MATRIX ? new Shape(h, h) : new Shape(h));
        if (settings.gate()) {
            shapes.put(InjectedMHC.GATE, new Shape(1));
        }
        return shapes;
    }

    @Override
    public String configFile() {
        return MhcDirectory.CONFIG_FILE;
    }

    @Override
    public String weightsFile() {
        return MhcDirectory.WEIGHTS_FILE;
    }

    @Override
    public Map<String, String> weightsMetadata() {
        return Map.of("format", MhcDirectory.FORMAT);
    }

    @Override
    public byte[] writeConfig(List<InjectedMHC> layers) throws IOException {
        List<MhcDirectory.Layer> recorded = layers.stream()
                .map(l -> new MhcDirectory.Layer(l.path(), ModuleTree.className(l.wrapped()), l.position()))
                .collect(Collectors.toList());
        SavedTarget target = SavedTarget.of(layers.get(0).injection().target);
        return ConfigFiles.JSON.writeValueAsBytes(
                new MhcDirectory.SavedConfig(MhcDirectory.FORMAT, settings(layers), target, recorded));
    }

    @Override
    public SavedAdapter<MhcConfig> readConfig(Path file) throws IOException {
        MhcDirectory.SavedConfig saved = MhcDirectory.readConfig(file);
        List<SavedAdapter.Layer> layers = saved.layers().stream()
                .map(l -> new SavedAdapter.Layer(l.path(), l.className()))
                .collect(Collectors.toList());
        Selector target = saved.target() != null
                ? saved.target().selector()
                : Selector.byPaths(layers.stream().map(SavedAdapter.Layer::path).toList());
        return new SavedAdapter<>(saved.settings(), target, layers);
    }
}
