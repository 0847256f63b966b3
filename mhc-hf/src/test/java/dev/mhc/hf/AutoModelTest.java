package dev.mhc.hf;

import dev.mhc.hf.registry.ModelKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.SafetensorsFormatException;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoModelTest {

    private final Golden bert = Golden.fixture("bert-tiny");
    @TempDir Path tmp;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDList bertInputs() {
        return new NDList(
                bert.input("input_ids", manager),
                bert.input("attention_mask", manager),
                bert.input("token_type_ids", manager));
    }

    @Test
    void dispatchesOnModelTypeAndLoadsByName() throws IOException {
        try (PretrainedModel model = AutoModel.fromPretrained(bert.dir())) {
            assertEquals("bert", model.modelType());
            assertEquals("BertModel", model.architecture());
            assertEquals(ModelKind.GENERAL, model.kind());
            assertEquals(64, model.config(BertConfig.class).hiddenSize());
            float diff = Golden.maxAbsDiff(bert.output("last_hidden_state", manager), model.predict(bertInputs()).head());
            assertTrue(diff <= 1e-4f);
        }
        try (PretrainedModel vit = AutoModel.fromPretrained(Golden.fixture("vit-tiny").dir())) {
            assertEquals("ViTModel", vit.architecture());
        }
    }

    @Test
    void aTaskHeadOnABaseCheckpointOverridesAndPatches() throws IOException {
        LoadOptions options = LoadOptions.defaults()
                .architecture("BertForSequenceClassification")
                .strict(false)
                .overrides(Map.of("model", Map.of("num_hidden_layers", 2)))
                .patch("mhc", Map.of("max_history", 3, "epsilon", 0.0));
        try (PretrainedModel model = AutoModel.fromPretrained(bert.dir(), options)) {
            assertEquals(ModelKind.SEQUENCE_CLASSIFICATION, model.kind());
            assertEquals(List.of("classifier.weight", "classifier.bias"), model.report().missing());
            assertTrue(model.report().unexpected().contains("encoder.layer.2.output.dense.weight"));
            assertEquals(2, Mhc.layers(model.block()).size());
            assertEquals(3, Mhc.layers(model.block()).get(0).config().maxHistory());
            assertEquals(List.of(2L, 2L), List.of(model.predict(bertInputs()).head().getShape().getShape()[0], 2L));
        }
        // Each LoadOptions patch has its own options: one it does not declare is a typo, refused before loading.
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> AutoModel.fromPretrained(
                bert.dir(), LoadOptions.defaults().patch("mhc", Map.of("max_histroy", 3))));
        assertTrue(typo.getMessage().contains("no option \"max_histroy\" (did you mean \"max_history\"?)"),
                typo.getMessage());
    }

    @Test
    void aDirectoryWithOnlyAConfigBuildsWithRandomWeights() throws IOException {
        Files.copy(bert.dir().resolve("config.json"), tmp.resolve("config.json"));
        IOException noWeights = assertThrows(IOException.class, () -> AutoModel.fromPretrained(tmp));
        assertTrue(noWeights.getMessage().contains("use AutoModel.fromConfig(dir)"), noWeights.getMessage());
        try (PretrainedModel model = AutoModel.fromConfig(tmp)) {
            assertEquals(List.of(2L, 12L, 64L), List.of(model.predict(bertInputs()).head().getShape().get(0), 12L, 64L));
        }
    }

    @Test
    void badInputsAreClearErrors() throws IOException {
        IllegalArgumentException noConfig = assertThrows(IllegalArgumentException.class, () -> AutoModel.fromPretrained(tmp));
        assertTrue(noConfig.getMessage().contains("config.json"), noConfig.getMessage());

        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"bart\", \"d_model\": 16}");
        Files.createFile(tmp.resolve("model.safetensors"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> AutoModel.fromPretrained(tmp));
        assertTrue(unknown.getMessage().startsWith("unknown model_type \"bart\"; registered: [bert, gemma3_text, gpt2, llama, qwen2, qwen3, vit]"), unknown.getMessage());

        IOException shape = assertThrows(IOException.class, () -> AutoModel.fromPretrained(
                bert.dir(), LoadOptions.defaults().overrides(Map.of("model.intermediate_size", 256))));
        assertTrue(shape.getMessage().contains(
                "\"encoder.layer.0.intermediate.dense.weight\" has shape (128, 64) but the model's"
                        + " \"encoder.layer.0.intermediate.dense.weight\" expects (256, 64)"), shape.getMessage());

        Files.copy(bert.dir().resolve("config.json"), tmp.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(bert.dir().resolve("model.safetensors"), tmp.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(tmp.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        SafetensorsFormatException truncated =
                assertThrows(SafetensorsFormatException.class, () -> AutoModel.fromPretrained(tmp));
        assertTrue(truncated.getMessage().contains("model.safetensors"), truncated.getMessage());
    }

    /** The library refuses a GPU PyTorch does not see, naming the natives to use (the CLI falls back). */
    @Test
    void aGpuThatIsNotThereIsRefusedWithWhatToDo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getInstance().getGpuCount() == 0,
                "this machine has a GPU");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoModel.miniLm(LoadOptions.defaults().device(ai.djl.Device.gpu())));
        assertTrue(e.getMessage().startsWith("cannot load onto gpu(0): PyTorch sees 0 GPU(s)."), e.getMessage());
        assertTrue(e.getMessage().contains("pytorch-native-cu"), e.getMessage());
    }
}
