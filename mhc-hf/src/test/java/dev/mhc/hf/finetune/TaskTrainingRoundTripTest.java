package dev.mhc.hf.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.train.Batch;
import dev.mhc.core.train.Dataset;
import dev.mhc.core.train.Loss;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a causal-LM fine-tuning run writes, loaded onto a fresh copy of its checkpoint, computes
 * what the trained model computed: with LoRA + history mixing (adapters/, mhc/), and with every
 * weight trained (trained.safetensors) and hyper-connections (streams/).
 */
class TaskTrainingRoundTripTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir Path tmp;

    /** Random token blocks under the tiny Llama's vocabulary; labels are the inputs (the loss shifts). */
    private static Dataset blocks(int count, int length, long seed) {
        Random random = new Random(seed);
        long[][] rows = new long[count][length];
        for (long[] row : rows) {
            for (int i = 0; i < length; i++) {
                row[i] = 3 + random.nextInt(380);
            }
        }
        return new Dataset() {
            @Override
            public int size() {
                return count;
            }

            @Override
            public Batch batch(NDManager manager, int[] indices) {
                long[][] picked = new long[indices.length][];
                for (int i = 0; i < indices.length; i++) {
                    picked[i] = rows[indices[i]];
                }
                NDArray ids = manager.create(picked);
                return new Batch(new NDList(ids), ids);
            }
        };
    }

    private static float[] logits(PretrainedModel model, NDManager manager) {
        NDArray ids = manager.create(new long[][] {{1, 17, 250, 9, 33, 101}});
        return model.block().forward(new ParameterStore(manager, false), new NDList(ids), false).head().toFloatArray();
    }

    private static float maxDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private void roundTrip(TaskTraining training, String name) throws IOException {
        Path dir = Golden.fixture("llama-tiny").dir();
        Path out = tmp.resolve(name);
        float[] base;
        float[] trained;
        try (PretrainedModel model = AutoModel.fromPretrained(dir); NDManager manager = NDManager.newBaseManager()) {
            base = logits(model, manager);
            training.run(model, null, blocks(16, 12, 5), Loss.causalLm(), out, QUIET);
            trained = logits(model, manager);
        }
        assertTrue(maxDiff(base, trained) > 1e-3f, name + ": training should change the function");
        try (PretrainedModel fresh = AutoModel.fromPretrained(dir); NDManager manager = NDManager.newBaseManager()) {
            TaskTraining.loadInto(fresh, out);
            float diff = maxDiff(trained, logits(fresh, manager));
            assertTrue(diff <= 1e-6f, name + ": the loaded outputs differ from the trained model by " + diff);
        }
    }

    @Test
    void loraAndHistoryMixing() throws IOException {
        roundTrip(new TaskTraining(LoraConfig.of(2, 4, 0, List.of("q_proj", "v_proj", "down_proj")),
                Connections.history("LlamaDecoderLayer", 2), new TrainingSettings(2, 4, 1e-2, 5e-2, 5e-2, 0, 1, 1.0,
                        7, null)), "lora-mhc");
    }

    @Test
    void everyWeightAndStreams() throws IOException {
        roundTrip(new TaskTraining(null, Connections.of(Connections.Mode.MHC, "LlamaDecoderLayer", 4, 2, false),
                new TrainingSettings(1, 4, 1e-3, 1e-3, 5e-2, 0, 1, 1.0, 7, null)), "full-streams");
    }

    /** The run's own files are written in the same unit as its weights: failing to make them leaves the old run whole. */
    @Test
    void aRunsFilesAndWeightsAreOneUnit() throws IOException {
        TaskTraining training = new TaskTraining(LoraConfig.of(2, 4, 0, List.of("q_proj")), Connections.none(),
                new TrainingSettings(1, 4, 1e-2, 5e-2, 5e-2, 0, 1, 1.0, 7, null));
        Path out = tmp.resolve("run");
        Path dir = Golden.fixture("llama-tiny").dir();
        try (PretrainedModel model = AutoModel.fromPretrained(dir)) {
            training.run(model, null, blocks(8, 12, 5), null, Loss.causalLm(), out,
                    history -> Map.of("metrics.json", "first".getBytes(StandardCharsets.UTF_8)), QUIET);
        }
        byte[] firstAdapters = Files.readAllBytes(out.resolve("adapters/adapter_model.safetensors"));
        try (PretrainedModel model = AutoModel.fromPretrained(dir)) {
            IOException e = assertThrows(IOException.class, () -> training.run(model, null, blocks(8, 12, 6), null,
                    Loss.causalLm(), out, history -> {
                        throw new IOException("the run files could not be made");
                    }, QUIET));
            assertTrue(e.getMessage().contains("run files"), e.getMessage());
        }
        assertEquals("first", Files.readString(out.resolve("metrics.json")));
        assertArrayEquals(firstAdapters, Files.readAllBytes(out.resolve("adapters/adapter_model.safetensors")),
                "the first run's weights stay beside its own files");
    }

    @Test
    void aDirectoryWithoutOutputsIsRefused() throws IOException {
        try (PretrainedModel model = AutoModel.fromPretrained(Golden.fixture("llama-tiny").dir())) {
            IOException e = assertThrows(IOException.class,
                    () -> TaskTraining.loadInto(model, Files.createDirectories(tmp.resolve("empty"))));
            assertTrue(e.getMessage().contains("holds nothing mhc finetune writes"), e.getMessage());
        }
    }
}
