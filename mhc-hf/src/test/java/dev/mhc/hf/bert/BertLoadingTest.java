package dev.mhc.hf.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.SafetensorsCheckpoint;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.io.WeightLoader;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.config.HfConfigs;
import dev.mhc.hf.testing.Golden;
import dev.mhc.testing.ManagedTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task heads, HF's base-model prefix, strictness and mismatches when loading BERT. */
class BertLoadingTest extends ManagedTest {

    private final Golden golden = Golden.fixture("bert-tiny");
    @TempDir Path tmp;

    private BertConfig config() throws IOException {
        return HfConfigs.read(golden.dir(), BertConfig.class);
    }

    private NDList inputs() {
        return new NDList(
                golden.input("input_ids", manager),
                golden.input("attention_mask", manager),
                golden.input("token_type_ids", manager));
    }

    @Test
    void aBaseCheckpointLoadsUnderTheTaskHeadsPrefixAndBack() throws IOException {
        BertForSequenceClassification classifier = new BertForSequenceClassification(config());
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(golden.dir())) {
            IOException strict = assertThrows(IOException.class,
                    () -> WeightLoader.load(classifier, checkpoint, manager, "bert", true));
            assertTrue(strict.getMessage().contains("missing 2 keys [classifier.weight, classifier.bias]"), strict.getMessage());
            WeightLoader.Report report =
                    WeightLoader.load(classifier, checkpoint, manager, BertForSequenceClassification.BASE_PREFIX, false);
            assertEquals(java.util.List.of("classifier.weight", "classifier.bias"), report.missing());
            assertTrue(report.unexpected().isEmpty());
        }
        NDArray logits = classifier.forward(ps, inputs(), false).head();
        assertEquals(new Shape(2, 2), logits.getShape());

        // Save the task model's weights with HF's prefixed keys; load them into a bare BertModel.
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        ModuleTree.parameters(classifier).forEach((k, p) -> tensors.put(k, p.getArray()));
        SafetensorsWriter.write(tmp.resolve("model.safetensors"), tensors, Map.of());
        BertModel base = new BertModel(config());
        try (SafetensorsCheckpoint prefixed = SafetensorsCheckpoint.open(tmp)) {
            WeightLoader.Report report = WeightLoader.load(base, prefixed, manager, "bert", false);
            assertEquals(java.util.List.of("classifier.weight", "classifier.bias"), report.unexpected());
        }
        float diff = Golden.maxAbsDiff(golden.output("last_hidden_state", manager), base.forward(ps, inputs(), false).head());
        assertTrue(diff <= 1e-4f);
    }

    @Test
    void aShapeThatDisagreesWithTheConfigNamesTheKeyAndBothShapes() throws IOException {
        BertConfig c = config();
        BertConfig wider = new BertConfig(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                256, c.hiddenAct(), null, null, c.maxPositionEmbeddings(), c.typeVocabSize(), c.layerNormEps(),
                c.padTokenId(), null, null, null);
        BertModel model = new BertModel(wider);
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(golden.dir())) {
            IOException e = assertThrows(IOException.class, () -> WeightLoader.load(model, checkpoint, manager));
            assertEquals("checkpoint tensor \"encoder.layer.0.intermediate.dense.weight\" has shape (128, 64) but the"
                    + " model's \"encoder.layer.0.intermediate.dense.weight\" expects (256, 64): the checkpoint and"
                    + " the config it was built from disagree", e.getMessage());
        }
        for (Parameter p : ModuleTree.parameters(model).values()) {
            assertTrue(!p.isInitialized(), "nothing loaded from a checkpoint that does not fit");
        }
    }

    @Test
    void invalidConfigsAreRefusedBeforeBuilding() {
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> new BertConfig(null, 64, null, 5, null, null, null, null, null, null, null, null, null, null, null));
        assertEquals("hidden_size 64 is not divisible by num_attention_heads 5: each head gets hidden_size /"
                + " num_attention_heads dimensions", heads.getMessage());
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class,
                () -> new BertModel(new BertConfig(null, 64, 1, 4, 128, "gelu_magic", null, null, null, null, null,
                        null, null, null, null)));
        assertTrue(act.getMessage().startsWith("unsupported activation \"gelu_magic\"; supported: [gelu, gelu_fast,"));
    }

    @Test
    void bertBaseWithHistoryFourGetsExactly48MixingWeights() {
        BertModel model = new BertModel(BertConfig.base());
        Weights.initialize(model, manager);
        long parameters = ModuleTree.parameters(model).values().stream().mapToLong(p -> p.getArray().size()).sum();
        assertEquals(109_482_240L, parameters); // bert-base-uncased's BertModel, as HF counts it
        Mhc.injectMhc(model, "BertLayer", 4);
        long mixing = Mhc.parameters(model).values().stream().mapToLong(p -> p.getArray().size()).sum();
        assertEquals(48, mixing);
        NDArray out = model.forward(ps, new NDList(manager.create(new long[][] {{101, 7592, 102}})), false).head();
        assertArrayEquals(new long[] {1, 3, 768}, out.getShape().getShape());
    }
}
