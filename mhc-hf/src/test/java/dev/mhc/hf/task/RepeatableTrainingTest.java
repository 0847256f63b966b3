package dev.mhc.hf.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.train.Batch;
import dev.mhc.core.train.Dataset;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.Schedule;
import dev.mhc.core.train.TrainConfig;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.bert.BertForSequenceClassification;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same result: a tiny BERT classifier with dropout, LoRA (with dropout) and gated mHC,
 * trained twice in this JVM and once in a fresh one, ends with bit-identical parameters. This
 * covers what the seed must pin: parameter and LoRA initialisation, data order and dropout masks.
 */
class RepeatableTrainingTest {

    @TempDir Path tmp;

    /** Random token ids; the label is whether the first token id is even. */
    static final class Parity implements Dataset {
        private final long[][] ids = new long[64][10];

        Parity() {
            Random random = new Random(7);
            for (long[] row : ids) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = 1 + random.nextInt(500);
                }
            }
        }

        @Override
        public int size() {
            return ids.length;
        }

        @Override
        public Batch batch(NDManager manager, int[] indices) {
            long[][] rows = new long[indices.length][];
            long[] labels = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                rows[i] = ids[indices[i]];
                labels[i] = rows[i][0] % 2;
            }
            Shape shape = new Shape(indices.length, 10);
            return new Batch(new NDList(manager.create(rows), manager.ones(shape).toType(
                    ai.djl.ndarray.types.DataType.INT64, false), manager.zeros(shape, ai.djl.ndarray.types.DataType.INT64)),
                    manager.create(labels));
        }
    }

    /** @return SHA-256 over every parameter (key and values, in tree order) after training */
    static String train(long seed) throws IOException {
        BertConfig config = new BertConfig(512, 32, 3, 2, 64, "gelu", 0.1, 0.1, 64, null, null, null, null, null,
                Map.of("0", "even", "1", "odd"));
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed((int) seed);
            BertForSequenceClassification model = new BertForSequenceClassification(config);
            Weights.initialize(model, manager);
            Lora.inject(model, LoraConfig.of(4, 8, 0.1, List.of("query", "value")));
            ModuleTree.parameters(model).forEach((k, p) -> p.freeze(!k.startsWith("classifier.") && !k.contains(".lora_")));
            Mhc.builder().target("BertLayer").maxHistory(3).gate(true).inject(model);
            List<ParamGroup> groups = List.of(
                    new ParamGroup("mixing", ParamGroup.keysContaining(".mhc_"), 5e-2, 0, Schedule.constant()),
                    new ParamGroup("rest", ParamGroup.everything(), 1e-2, 0.01, Schedule.constant()));
            TrainConfig trainConfig = new TrainConfig(2, 8, 2, 1.0, seed, 0, null, false);
            try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(), trainConfig, manager)) {
                tuner.fit(new Parity(), null);
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ModuleTree.parameters(model).forEach((key, p) -> {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                float[] values = p.getArray().toFloatArray();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * 4);
                bytes.asFloatBuffer().put(values);
                digest.update(bytes);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Entry point of the second JVM: prints the digest of a run with the given seed. */
    public static void main(String[] args) throws IOException {
        System.out.println("digest " + train(Long.parseLong(args[0])));
    }

    @Test
    void twiceInThisJvmAndOnceInAnotherGiveIdenticalParameters() throws Exception {
        String first = train(13);
        assertEquals(first, train(13), "a second run in the same JVM");
        assertEquals(first, inFreshJvm(13), "a run in a fresh JVM");
        assertNotEquals(first, train(14), "another seed trains to other parameters");
    }

    private String inFreshJvm(long seed) throws IOException, InterruptedException {
        Path log = tmp.resolve("child.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", RepeatableTrainingTest.class.getName(),
                Long.toString(seed))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new AssertionError("the second JVM did not finish in 5 minutes");
        }
        String output = Files.readString(log);
        assertEquals(0, child.exitValue(), output);
        return output.lines().filter(l -> l.startsWith("digest ")).map(l -> l.substring(7)).findFirst()
                .orElseThrow(() -> new AssertionError("no digest from the second JVM:\n" + output));
    }
}
