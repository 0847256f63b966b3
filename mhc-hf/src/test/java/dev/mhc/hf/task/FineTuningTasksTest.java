package dev.mhc.hf.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.train.Batch;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.TrainingHistory;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.Schedule;
import dev.mhc.core.train.TrainConfig;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.bert.BertForSequenceClassification;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA + mHC fine-tuning of a tiny BERT on a toy JSONL task, end to end, in seconds. */
class FineTuningTasksTest {

    @TempDir Path tmp;

    private Path jsonl() throws IOException {
        StringBuilder lines = new StringBuilder();
        String[] happy = {"a wonderful happy day", "joy and delight", "what a lovely smile", "good cheer all round"};
        String[] sad = {"a dreadful gloomy night", "sorrow and grief", "what a bitter loss", "tears and misery"};
        for (int round = 0; round < 4; round++) {
            for (String h : happy) {
                lines.append("{\"text\": \"").append(h).append("\", \"label\": \"happy\"}\n");
            }
            for (String s : sad) {
                lines.append("{\"text\": \"").append(s).append("\", \"label\": \"sad\"}\n");
            }
        }
        Path file = tmp.resolve("mood.jsonl");
        Files.writeString(file, lines);
        return file;
    }

    private static BertForSequenceClassification tinyBert(NDManager manager) {
        BertConfig config = new BertConfig(30522, 32, 2, 2, 64, null, 0.0, 0.0, 64, null, null, null, null, null,
                Map.of("0", "happy", "1", "sad"));
        BertForSequenceClassification model = new BertForSequenceClassification(config);
        manager.getEngine().setRandomSeed(5);
        Weights.initialize(model, manager);
        return model;
    }

    @Test
    void loraPlusMhcLearnsWithTheBaseFrozenAndAdaptersRoundTrip() throws IOException {
        TextClassificationData data;
        try (TextTokenizer tokenizer = AllMiniLmL6V2.tokenizer()) {
            data = TextClassificationData.fromJsonl(jsonl(), "text", "label", tokenizer, null);
        }
        assertEquals(List.of("happy", "sad"), data.classes());
        try (NDManager manager = NDManager.newBaseManager()) {
            BertForSequenceClassification model = tinyBert(manager);
            Lora.inject(model, LoraConfig.of(4, 8, 0.0, List.of("query", "value")));
            Mhc.injectMhc(model, "BertLayer", 3);
            ModuleTree.parameters(model).forEach((k, p) -> {
                if (k.startsWith("classifier.")) {
                    p.freeze(false);
                }
            });
            float[] frozenBefore = ModuleTree.parameters(model).get("bert.encoder.layer.0.attention.self.query.weight")
                    .getArray().toFloatArray();
            List<ParamGroup> groups = List.of(
                    new ParamGroup("mixing", ParamGroup.keysContaining(".mhc_"), 0.05, 0, Schedule.warmupEpochs(1, 0.1)),
                    new ParamGroup("rest", ParamGroup.everything(), 0.01, 0, Schedule.constant()));
            try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(), TrainConfig.of(6, 8, 3),
                    manager)) {
                assertTrue(tuner.summary().contains("mixing                      6        2"), tuner.summary());
                TrainingHistory history = tuner.fit(data, null);
                assertTrue(history.epochs().get(5).loss() < history.epochs().get(0).loss(), history.toString());
            }
            assertArrayEquals(frozenBefore, ModuleTree.parameters(model)
                    .get("bert.encoder.layer.0.attention.self.query.weight").getArray().toFloatArray(), 0f);

            Lora.save(model, tmp.resolve("adapters"));
            Mhc.save(model, tmp.resolve("mhc"));
            Batch batch = data.batch(manager, new int[] {0, 1, 2});
            NDArray trained = model.forward(new ParameterStore(manager, false), batch.inputs(), false).head();

            BertForSequenceClassification fresh = tinyBert(manager);
            ModuleTree.parameters(model).forEach((k, p) -> {
                if (k.startsWith("classifier.")) {
                    ModuleTree.parameters(fresh).get(k).getArray().set(p.getArray().toFloatArray());
                }
            });
            Lora.load(fresh, tmp.resolve("adapters"));
            Mhc.load(fresh, tmp.resolve("mhc"));
            NDArray reloaded = fresh.forward(new ParameterStore(manager, false), batch.inputs(), false).head();
            assertArrayEquals(trained.toFloatArray(), reloaded.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void imageCsvAndPackedTextBecomeBatches() throws IOException {
        Path csv = tmp.resolve("pixels.csv");
        Files.writeString(csv, "p0,p1,p2,p3,label\n0,16,16,0,1\n16,0,0,16,0\n");
        ImageClassificationData images = ImageClassificationData.fromCsv(csv, "label", 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = images.batch(manager, new int[] {0, 1});
            assertArrayEquals(new long[] {2, 1, 2, 2}, batch.inputs().head().getShape().getShape());
            assertArrayEquals(new float[] {-1, 1, 1, -1}, batch.inputs().head().get(0).toFloatArray(), 0f);
            assertArrayEquals(new long[] {1, 0}, batch.labels().toLongArray());
        }
        Files.writeString(tmp.resolve("bad.csv"), "p0,p1,p2,label\n0,1,2,0\n");
        IOException square = assertThrows(IOException.class,
                () -> ImageClassificationData.fromCsv(tmp.resolve("bad.csv"), "label", 16));
        assertTrue(square.getMessage().contains("not a square image"), square.getMessage());

        Path text = tmp.resolve("text.txt");
        Files.writeString(text, "It is a truth universally acknowledged.\n\nThat a single man must be in want of a wife.\n");
        try (TextTokenizer gpt2 = TextTokenizer.fromPretrained(
                dev.mhc.hf.testing.Golden.fixture("gpt2-tokenizer").dir(), 0)) {
            CausalLmData blocks = CausalLmData.fromText(text, gpt2, 4, 50256);
            assertTrue(blocks.size() >= 4);
            try (NDManager manager = NDManager.newBaseManager()) {
                assertArrayEquals(new long[] {1026, 318, 257, 3872}, blocks.batch(manager, new int[] {0}).labels().toLongArray());
            }
        }
    }

    @Test
    void splitsAreStratifiedAndSeeded() {
        long[] labels = new long[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 60 ? 0 : 1;
        }
        int[][] split = Splits.stratified(labels.length, i -> labels[i], 0.2, 7);
        assertEquals(80, split[0].length);
        assertEquals(12, java.util.Arrays.stream(split[1]).filter(i -> labels[i] == 0).count());
        assertArrayEquals(split[1], Splits.stratified(labels.length, i -> labels[i], 0.2, 7)[1]);
        assertEquals(20, Splits.perClass(labels.length, i -> labels[i], 10, 1).length);
    }
}
