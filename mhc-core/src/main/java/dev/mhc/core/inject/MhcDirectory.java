package dev.mhc.core.inject;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mhc.core.io.AtomicDirectory;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.adapter.ConfigFiles;
import dev.mhc.core.adapter.SavedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A saved mhc directory read back without a model: its settings, its layers and their weights,
 * validated ({@code mhc_config.json} and {@code mhc_weights.safetensors}, as {@link Mhc#save}
 * writes them). What {@link Mhc#load} injects, and what reports read.
 *
 * @param settings the injection's settings
 * @param layers the wrapped layers, in tree order (by recorded position)
 * @param weights tensors by key ({@code <path>.mhc_alpha}, {@code <path>.mhc_gate})
 */
public record MhcDirectory(MhcConfig settings, List<Layer> layers, Map<String, float[]> weights) {

    static final String CONFIG_FILE = "mhc_config.json";
    static final String WEIGHTS_FILE = "mhc_weights.safetensors";
    static final String FORMAT = "mhc-java/1";


    /** One wrapped layer as recorded: where it was, what it wrapped, its 1-based position. */
    public record Layer(String path, @JsonProperty("class") String className, int position) {}

    /** The whole {@code mhc_config.json}; the settings are validated as they are read. */
    record SavedConfig(String format, MhcConfig settings, SavedTarget target, List<Layer> layers) {}

    /** @return the H mixing weights of {@code layer} */
    public float[] alpha(Layer layer) {
        return weights.get(key(layer.path(), InjectedMHC.ALPHA));
    }

    /** @return the gate of {@code layer}, or {@code null} without a gate */
    public Float gate(Layer layer) {
        float[] gate = weights.get(key(layer.path(), InjectedMHC.GATE));
        return gate == null ? null : gate[0];
    }

    /** Reads and validates {@code dir}; every problem is an IOException naming the file. */
    public static MhcDirectory read(Path dir) throws IOException {
        dir = AtomicDirectory.forReading(dir);
        SavedConfig saved = readConfig(dir.resolve(CONFIG_FILE));
        return new MhcDirectory(saved.settings(), saved.layers().stream().sorted(Comparator.comparingInt(Layer::position)).toList(), readWeights(dir, saved, saved.settings()));
    }

    static String key(String path, String parameter) {
        return path + "." + parameter;
    }

    static SavedConfig readConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no "
                            + CONFIG_FILE
                            + " in "
                            + file.getParent()
                            + ": not an mhc directory (Mhc.save writes "
                            + CONFIG_FILE
                            + " and "
                            + WEIGHTS_FILE
                            + ")");
        }
        SavedConfig saved = ConfigFiles.read(file, SavedConfig.class, "mhc config");
        ConfigFiles.checkFormat(file, saved.format(), FORMAT);
        if (saved.settings() == null) {
            throw new IOException(file + " records no settings");
        }
        if (saved.layers() == null || saved.layers().isEmpty()) {
            throw new IOException(file + " records no layers");
        }
        if (saved.target() != null && !saved.target().valid()) {
            throw new IOException(file + ": target must give either class_name or path_regex, got " + saved.target());
        }
        Set<String> paths = new HashSet<>();
        Set<Integer> positions = new HashSet<>();
        for (Layer layer : saved.layers()) {
            if (layer == null || layer.path() == null || layer.className() == null) {
                throw new IOException(file + ": every layer needs a path and a class, got " + layer);
            }
            if (!paths.add(layer.path())) {
                throw new IOException(file + ": layer \"" + layer.path() + "\" is recorded twice");
            }
            if (layer.position() < 1 || layer.position() > saved.layers().size() || !positions.add(layer.position())) {
                throw new IOException(file + ": layer \"" + layer.path() + "\" has position " + layer.position()
                        + "; positions must be 1.." + saved.layers().size() + ", each once");
            }
        }
        return saved;
    }

    private static Map<String, float[]> readWeights(Path dir, SavedConfig saved, MhcConfig config)
            throws IOException {
        Path file = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + WEIGHTS_FILE + " in " + dir + " beside its " + CONFIG_FILE);
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (Layer layer : saved.layers()) {
            expected.put(key(layer.path(), InjectedMHC.ALPHA), config.weightsPerLayer());
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

}
