package dev.mhc.core.inject;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.mhc.core.io.AtomicFiles;
import dev.mhc.core.io.SafetensorsFile;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The on-disk form of an injection: {@code mhc_config.json} and {@code mhc_weights.safetensors}. */
final class MhcCheckpoint {

    static final String CONFIG_FILE = "mhc_config.json";
    static final String WEIGHTS_FILE = "mhc_weights.safetensors";
    static final String FORMAT = "mhc-java/1";

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One wrapped layer as recorded: where it was, what it wrapped, its 1-based position. */
    record SavedLayer(String path, @JsonProperty("class") String className, int position) {}

    /** The whole {@code mhc_config.json}; the settings are validated as they are read. */
    record SavedConfig(String format, MhcConfig settings, List<SavedLayer> layers) {}

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
        List<SavedLayer> saved = new ArrayList<>();
        for (InjectedMHC layer : layers) {
            saved.add(
                    new SavedLayer(
                            layer.path(),
                            layer.wrapped().getClass().getSimpleName(),
                            layer.position()));
            tensors.put(key(layer.path(), InjectedMHC.ALPHA), finite(layer, layer.alpha().getArray()));
            if (layer.gate() != null) {
                tensors.put(key(layer.path(), InjectedMHC.GATE), finite(layer, layer.gate().getArray()));
            }
        }
        SavedConfig record = new SavedConfig(FORMAT, config, saved);
        Files.createDirectories(dir);
        // Weights first: a directory is complete once its config (written last) is in place.
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", FORMAT));
        AtomicFiles.write(dir.resolve(CONFIG_FILE), JSON.writeValueAsBytes(record));
    }

    static void load(Block model, Path dir) throws IOException {
        SavedConfig saved = readConfig(dir);
        MhcConfig config = saved.settings();
        if (!Mhc.layers(model).isEmpty()) {
            throw new IllegalStateException(
                    "the model already has mHC injected; load onto a model without it (or call"
                            + " Mhc.remove(model) first)");
        }
        checkLayersFit(model, saved, dir);
        Map<String, float[]> weights = readWeights(dir, saved, config);
        Set<String> paths = saved.layers().stream().map(SavedLayer::path).collect(Collectors.toSet());
        List<InjectedMHC> layers =
                Mhc.inject(model, Selector.of(e -> paths.contains(e.path()), "saved layers"), config);
        for (InjectedMHC layer : layers) {
            float[] gate = weights.get(key(layer.path(), InjectedMHC.GATE));
            layer.setWeights(
                    weights.get(key(layer.path(), InjectedMHC.ALPHA)), gate == null ? null : gate[0]);
        }
    }

    private static SavedConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no "
                            + CONFIG_FILE
                            + " in "
                            + dir
                            + ": not an mhc directory (Mhc.save writes "
                            + CONFIG_FILE
                            + " and "
                            + WEIGHTS_FILE
                            + ")");
        }
        SavedConfig saved;
        try {
            saved = JSON.readValue(file.toFile(), SavedConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable reason = e.getCause() == null ? e : e.getCause();
            throw new IOException(file + " holds invalid settings: " + reason.getMessage(), e);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a valid mhc config: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(saved.format())) {
            throw new IOException(
                    file + " has format \"" + saved.format() + "\"; this library reads \"" + FORMAT + "\"");
        }
        if (saved.settings() == null) {
            throw new IOException(file + " records no settings");
        }
        if (saved.layers() == null || saved.layers().isEmpty()) {
            throw new IOException(file + " records no layers");
        }
        return saved;
    }

    /** Every saved layer must be at the same path, of the same class, in the same order. */
    private static void checkLayersFit(Block model, SavedConfig saved, Path dir) {
        Map<String, ModuleTree.Entry> byPath = new HashMap<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            byPath.putIfAbsent(entry.path(), entry);
        }
        List<String> problems = new ArrayList<>();
        Set<String> savedClasses = new LinkedHashSet<>();
        for (int i = 0; i < saved.layers().size(); i++) {
            SavedLayer layer = saved.layers().get(i);
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

    private static Map<String, float[]> readWeights(Path dir, SavedConfig saved, MhcConfig config)
            throws IOException {
        Path file = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + WEIGHTS_FILE + " in " + dir + " beside its " + CONFIG_FILE);
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (SavedLayer layer : saved.layers()) {
            expected.put(key(layer.path(), InjectedMHC.ALPHA), config.maxHistory());
            if (config.gate()) {
                expected.put(key(layer.path(), InjectedMHC.GATE), 1);
            }
        }
        Map<String, float[]> weights = new HashMap<>();
        try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
            Set<String> unexpected = new LinkedHashSet<>(tensors.names());
            unexpected.removeAll(expected.keySet());
            List<String> missing = new ArrayList<>(expected.keySet());
            missing.removeAll(tensors.names());
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new IOException(
                        file
                                + " does not match "
                                + CONFIG_FILE
                                + ": missing "
                                + missing
                                + ", unexpected "
                                + unexpected);
            }
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                float[] values = tensors.readFloats(e.getKey());
                if (values.length != e.getValue()) {
                    throw new IOException(
                            String.format(
                                    Locale.ROOT,
                                    "%s: %s has %d values, expected %d (maxHistory %d)",
                                    file,
                                    e.getKey(),
                                    values.length,
                                    e.getValue(),
                                    config.maxHistory()));
                }
                for (float v : values) {
                    if (!Float.isFinite(v)) {
                        throw new IOException(
                                file + ": " + e.getKey() + " holds non-finite values " + Arrays.toString(values));
                    }
                }
                weights.put(e.getKey(), values);
            }
        }
        return weights;
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
        return path + "." + parameter;
    }
}
