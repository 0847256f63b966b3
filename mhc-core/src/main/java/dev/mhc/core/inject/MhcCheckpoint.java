package dev.mhc.core.inject;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.mhc.core.io.AtomicFiles;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Saving an injection to an mhc directory, and injecting one back ({@link MhcDirectory}). */
final class MhcCheckpoint {

    private MhcCheckpoint() {}

    static void save(Block model, Path dir) throws IOException {
        List<InjectedMHC> layers = Mhc.layers(model);
        if (layers.isEmpty()) {
            throw new IllegalStateException(
                    "the model has no mHC layers to save; inject them with Mhc.injectMhc first");
        }
        Set<Injection> injections = layers.stream().map(InjectedMHC::injection).collect(Collectors.toSet());
        if (injections.size() > 1) {
            throw new IllegalStateException(
                    "the model holds "
                            + injections.size()
                            + " separate mHC injections; an mhc directory records one, so remove"
                            + " all but one (or save from a model injected once)");
        }
        MhcConfig config = layers.get(0).config();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        List<MhcDirectory.Layer> saved = new ArrayList<>();
        for (InjectedMHC layer : layers) {
            saved.add(
                    new MhcDirectory.Layer(
                            layer.path(),
                            layer.wrapped().getClass().getSimpleName(),
                            layer.position()));
            tensors.put(key(layer.path(), InjectedMHC.ALPHA), finite(layer, layer.alpha().getArray()));
            if (layer.gate() != null) {
                tensors.put(key(layer.path(), InjectedMHC.GATE), finite(layer, layer.gate().getArray()));
            }
        }
        MhcDirectory.SavedConfig record = new MhcDirectory.SavedConfig(MhcDirectory.FORMAT, config, saved);
        Files.createDirectories(dir);
        // Weights first: a directory is complete once its config (written last) is in place.
        SafetensorsWriter.write(dir.resolve(MhcDirectory.WEIGHTS_FILE), tensors, Map.of("format", MhcDirectory.FORMAT));
        AtomicFiles.write(dir.resolve(MhcDirectory.CONFIG_FILE), MhcDirectory.JSON.writeValueAsBytes(record));
    }

    static void load(Block model, Path dir) throws IOException {
        MhcDirectory saved = MhcDirectory.read(dir);
        MhcConfig config = saved.settings();
        if (!Mhc.layers(model).isEmpty()) {
            throw new IllegalStateException(
                    "the model already has mHC injected; load onto a model without it (or call"
                            + " Mhc.remove(model) first)");
        }
        checkLayersFit(model, saved, dir);
        Set<String> paths = saved.layers().stream().map(MhcDirectory.Layer::path).collect(Collectors.toSet());
        List<InjectedMHC> layers =
                Mhc.inject(model, Selector.of(e -> paths.contains(e.path()), "saved layers"), config);
        for (int i = 0; i < layers.size(); i++) {
            MhcDirectory.Layer recorded = saved.layers().get(i);
            layers.get(i).setWeights(saved.alpha(recorded), saved.gate(recorded));
        }
    }

    /** Every saved layer must be at the same path, of the same class, in the same order. */
    private static void checkLayersFit(Block model, MhcDirectory saved, Path dir) {
        Map<String, ModuleTree.Entry> byPath = new HashMap<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            byPath.putIfAbsent(entry.path(), entry);
        }
        List<String> problems = new ArrayList<>();
        Set<String> savedClasses = new LinkedHashSet<>();
        for (int i = 0; i < saved.layers().size(); i++) {
            MhcDirectory.Layer layer = saved.layers().get(i);
            savedClasses.add(layer.className());
            ModuleTree.Entry entry = byPath.get(layer.path());
            if (entry == null) {
                problems.add("no block at \"" + layer.path() + "\" (saved for " + layer.className() + ")");
            } else if (!entry.className().equals(layer.className())) {
                problems.add(
                        "\""
                                + layer.path()
                                + "\" is a "
                                + entry.className()
                                + ", saved for "
                                + layer.className());
            } else if (layer.position() != i + 1) {
                problems.add("\"" + layer.path() + "\" is recorded at position " + layer.position() + ", expected " + (i + 1));
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        List<String> candidates =
                ModuleTree.walk(model).stream()
                        .filter(e -> savedClasses.contains(e.className()))
                        .map(e -> e.path() + " (" + e.className() + ")")
                        .collect(Collectors.toList());
        throw new IllegalArgumentException(
                "the mhc directory "
                        + dir
                        + " does not fit this model: "
                        + String.join("; ", problems)
                        + ". This model has "
                        + (candidates.isEmpty() ? "no block of the saved classes " + savedClasses : candidates)
                        + ". Load it onto the architecture it was saved from.");
    }

    private static NDArray finite(InjectedMHC layer, NDArray values) {
        float[] floats = values.toFloatArray();
        for (float v : floats) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException(
                        "the mixing weights of \""
                                + layer.path()
                                + "\" are not finite "
                                + Arrays.toString(floats)
                                + ": training diverged; lower the learning rate or clip gradients");
            }
        }
        return values;
    }

    private static String key(String path, String parameter) {
        return MhcDirectory.key(path, parameter);
    }
}
