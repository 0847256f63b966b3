package dev.mhc.hf.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.AtomicDirectory;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.PretrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained {@link SentenceClassifier} on disk, written and read here side by side: {@code
 * labels.json} (the class names, in logit order), {@code head.safetensors} (the head alone), and
 * the {@code adapters/} (LoRA) and {@code mhc/} directories of whatever was injected. The base
 * encoder is not copied: load onto the same encoder it was trained from.
 */
public final class ClassifierDirectory {

    static final String LABELS = RunOutputs.LABELS;
    static final String HEAD = RunOutputs.HEAD;
    static final String ADAPTERS = RunOutputs.ADAPTERS;
    static final String MHC = RunOutputs.MHC;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassifierDirectory() {}

    /** A classifier read back, and its labels. */
    public record Loaded(SentenceClassifier classifier, List<String> labels) {}

    /** Writes the classifier into {@code dir}, replacing an earlier save as one unit. */
    public static void save(SentenceClassifier classifier, List<String> labels, Path dir) throws IOException {
        save(classifier, labels, dir, Map.of());
    }

    /** As {@link #save(SentenceClassifier, List, Path)}, with a run's {@code files} in the same unit. */
    public static void save(SentenceClassifier classifier, List<String> labels, Path dir, Map<String, byte[]> files)
            throws IOException {
        Map<String, NDArray> head = new LinkedHashMap<>();
        ModuleTree.parameters(classifier.model()).forEach((key, p) -> {
            if (key.startsWith(SentenceClassifier.HEAD_PREFIX)) {
                head.put(key, p.getArray());
            }
        });
        if (head.get(SentenceClassifier.HEAD_PREFIX + "weight").getShape().get(0) != labels.size()) {
            throw new IllegalArgumentException("the head has " + head.get(SentenceClassifier.HEAD_PREFIX + "weight")
                    .getShape().get(0) + " outputs but " + labels.size() + " labels were given");
        }
        AtomicDirectory.replace(dir, RunOutputs.owned(files), staging -> {
            RunOutputs.write(staging, files);
            SafetensorsWriter.write(staging.resolve(HEAD), head, Map.of("format", "mhc-java"));
            Files.write(staging.resolve(LABELS), JSON.writeValueAsBytes(labels));
            // named from the encoder, as on the bare model: `mhc forward MODEL --mhc DIR/mhc` loads them too
            if (!Lora.layers(classifier.encoder()).isEmpty()) {
                Lora.save(classifier.encoder(), staging.resolve(ADAPTERS));
            }
            if (!Mhc.layers(classifier.encoder()).isEmpty()) {
                Mhc.save(classifier.encoder(), staging.resolve(MHC));
            }
        });
    }

    /**
     * Builds the classifier on {@code encoder} and loads what {@code dir} holds; every file is
     * checked (labels, head keys, shapes and values, and the adapters' own checks).
     */
    public static Loaded load(PretrainedModel encoder, Path dir) throws IOException {
        Path source = AtomicDirectory.forReading(dir);
        List<String> labels = readLabels(source.resolve(LABELS));
        SentenceClassifier classifier = SentenceClassifier.frozen(encoder, labels.size());
        Map<String, float[]> head = readHead(source.resolve(HEAD), classifier);
        try {
            if (Files.isDirectory(source.resolve(ADAPTERS))) {
                Lora.load(classifier.encoder(), source.resolve(ADAPTERS));
            }
            if (Files.isDirectory(source.resolve(MHC))) {
                Mhc.load(classifier.encoder(), source.resolve(MHC));
            }
        } catch (IOException | RuntimeException e) {
            Lora.remove(classifier.encoder()); // the encoder stays as it was
            throw e;
        }
        Map<String, Parameter> parameters = ModuleTree.parameters(classifier.model());
        head.forEach((key, values) -> Weights.assign(parameters.get(key).getArray(), values));
        return new Loaded(classifier, labels);
    }

    private static List<String> readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + LABELS + " in " + file.getParent() + ": not a classifier directory (mhc"
                    + " finetune --task seq-cls writes " + LABELS + ", " + HEAD + " and adapters/ or mhc/)");
        }
        String[] labels;
        try {
            labels = JSON.readValue(file.toFile(), String[].class);
        } catch (JacksonException e) {
            throw new IOException(file + " must be a JSON array of class names: " + e.getOriginalMessage(), e);
        }
        if (labels == null) {
            throw new IOException(file + " must be a JSON array of class names, got null");
        }
        Set<String> distinct = new HashSet<>();
        for (String label : labels) {
            if (label == null || !distinct.add(label)) {
                throw new IOException(file + ": class names must be distinct and not null, got "
                        + Arrays.toString(labels));
            }
        }
        if (labels.length < 2) {
            throw new IOException(file + " names " + labels.length + " classes; a classifier needs at least 2");
        }
        return List.of(labels);
    }

    /** The head's values, checked against the head the labels call for. */
    private static Map<String, float[]> readHead(Path file, SentenceClassifier classifier) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + HEAD + " in " + file.getParent() + " beside its " + LABELS);
        }
        Map<String, Shape> expected = new LinkedHashMap<>();
        ModuleTree.parameters(classifier.model()).forEach((key, p) -> {
            if (key.startsWith(SentenceClassifier.HEAD_PREFIX)) {
                expected.put(key, p.getShape());
            }
        });
        Map<String, float[]> values = new LinkedHashMap<>();
        try (SafetensorsFile head = SafetensorsFile.open(file)) {
            if (!new HashSet<>(head.names()).equals(expected.keySet())) {
                throw new IOException(file + " holds " + head.names() + "; a head for this encoder holds "
                        + expected.keySet());
            }
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                Shape shape = new Shape(head.info(e.getKey()).shape());
                if (!shape.equals(e.getValue())) {
                    throw new IOException(file + ": " + e.getKey() + " has shape " + shape + ", expected "
                            + e.getValue() + " (hidden size x the " + LABELS + " classes)");
                }
                float[] floats = head.readFloats(e.getKey());
                for (float v : floats) {
                    if (!Float.isFinite(v)) {
                        throw new IOException(file + ": " + e.getKey() + " holds non-finite values");
                    }
                }
                values.put(e.getKey(), floats);
            }
        }
        return values;
    }
}
