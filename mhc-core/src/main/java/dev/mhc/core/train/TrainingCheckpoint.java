package dev.mhc.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.mhc.core.io.AtomicDirectory;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.nn.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A training checkpoint directory: {@code trainable.safetensors} (the trainable parameters only),
 * {@code optimizer.safetensors} (AdamW moments), {@code best.safetensors} (the best epoch's
 * parameters, for early stopping) and {@code state.json}, replaced together as one unit ({@link
 * AtomicDirectory}).
 */
final class TrainingCheckpoint {

    static final String TRAINABLE = "trainable.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String BEST = "best.safetensors";
    static final String STATE = "state.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The JSON part of a checkpoint. */
    record State(int nextEpoch, long steps, double bestMetric, int bestEpoch, int badEpochs, List<TrainingHistory.Epoch> epochs) {}

    private TrainingCheckpoint() {}

    static void write(Path dir, TrainingState state, Map<String, Parameter> trainable, AdamW optimizer)
            throws IOException {
        List<String> nonFinite = FineTuner.nonFinite(trainable, Parameter::getArray);
        if (!nonFinite.isEmpty()) {
            throw new IllegalStateException("refusing to write checkpoint " + dir + ": parameters " + nonFinite
                    + " hold NaN or infinity");
        }
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        trainable.forEach((key, p) -> parameters.put(key, p.getArray()));
        State json = new State(state.nextEpoch(), optimizer.steps(), state.bestMetric(), state.bestEpoch(),
                state.badEpochs(), state.epochs());
        AtomicDirectory.replace(dir, Set.of(TRAINABLE, OPTIMIZER, BEST, STATE), staging -> {
            SafetensorsWriter.write(staging.resolve(TRAINABLE), parameters, Map.of("format", "mhc-train"));
            SafetensorsWriter.write(staging.resolve(OPTIMIZER), optimizer.state(), Map.of("format", "mhc-train"));
            if (state.bestParameters() != null) {
                Map<String, long[]> shapes = new LinkedHashMap<>();
                trainable.forEach((key, p) -> shapes.put(key, p.getShape().getShape()));
                SafetensorsWriter.writeFloats(staging.resolve(BEST), state.bestParameters(), shapes,
                        Map.of("format", "mhc-train"));
            }
            Files.write(staging.resolve(STATE), JSON.writeValueAsBytes(json));
        });
    }

    static TrainingState read(Path checkpoint, Map<String, Parameter> trainable, AdamW optimizer) throws IOException {
        Path dir = AtomicDirectory.forReading(checkpoint);
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            throw new IOException(dir + " is not a complete training checkpoint (no " + STATE + ")");
        }
        State state = JSON.readValue(dir.resolve(STATE).toFile(), State.class);
        if (state == null) {
            throw new IOException(dir.resolve(STATE) + " holds null, not a training state; the checkpoint is damaged");
        }
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(TRAINABLE))) {
            Set<String> saved = new LinkedHashSet<>(file.names());
            if (!saved.equals(trainable.keySet())) {
                Set<String> missing = new LinkedHashSet<>(trainable.keySet());
                missing.removeAll(saved);
                saved.removeAll(trainable.keySet());
                throw new IOException(dir + " was saved for other trainable parameters: missing " + missing
                        + ", unexpected " + saved + "; resume with the same model, injections and freezing");
            }
            for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
                Weights.assign(e.getValue().getArray(), file.readFloats(e.getKey()));
            }
        }
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(OPTIMIZER))) {
            Map<String, float[]> moments = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (String name : file.names()) {
                moments.put(name, file.readFloats(name));
                shapes.put(name, file.info(name).shape());
            }
            optimizer.restore(moments, shapes, state.steps());
        }
        Map<String, float[]> best = null;
        if (Files.isRegularFile(dir.resolve(BEST))) {
            best = new LinkedHashMap<>();
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(BEST))) {
                for (String name : file.names()) {
                    best.put(name, file.readFloats(name));
                }
            }
        }
        return new TrainingState(state.nextEpoch(), state.epochs(), state.bestMetric(), state.bestEpoch(),
                state.badEpochs(), best);
    }
}
