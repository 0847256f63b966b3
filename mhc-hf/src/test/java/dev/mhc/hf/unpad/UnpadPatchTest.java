package dev.mhc.hf.unpad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The unpad patch: the same function on real tokens (HF's outputs on the tiny BERT, whose second
 * row is padded; the padded MiniLM on a ragged batch, with and without history mixing), and the
 * same gradients.
 */
class UnpadPatchTest {

    private static final LoadOptions UNPAD = LoadOptions.defaults().patch(UnpadPatch.NAME, Map.of());

    /** Max |a - b| over the real tokens of [batch, seq, hidden] outputs. */
    private static float realTokenDiff(NDArray a, NDArray b, NDArray mask) {
        NDArray keep = mask.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(-1);
        return a.sub(b).mul(keep).abs().max().getFloat();
    }

    @Test
    void matchesHuggingFaceOnRealTokens() throws IOException {
        Golden golden = Golden.fixture("bert-tiny");
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir(), LoadOptions.defaults().patch("unpad", Map.of()));
                NDManager manager = NDManager.newBaseManager()) {
            assertTrue(ModuleTree.get(model.block(), "encoder") instanceof UnpaddedEncoder);
            NDArray mask = golden.input("attention_mask", manager);
            NDList out = model.block().forward(new ParameterStore(manager, false), new NDList(
                    golden.input("input_ids", manager), mask, golden.input("token_type_ids", manager)), false);
            float diff = realTokenDiff(golden.output("last_hidden_state", manager), out.get(0), mask);
            assertTrue(diff <= 1e-5f, "last_hidden_state differs from HF by " + diff + " on real tokens");
            float pooled = Golden.maxAbsDiff(golden.output("pooler_output", manager), out.get(1));
            assertTrue(pooled <= 1e-5f, "pooler_output differs from HF by " + pooled);
            assertEquals(0f, out.get(0).get(new NDIndex("1, 8:, :")).abs().max().getFloat(), "zeros at the padding");
        }
    }

    @Test
    void aRaggedBatchMatchesThePaddedModelWithMixingAndGradients() throws IOException {
        // Training mode for the gradients, dropout off so both models compute the same function.
        Map<String, Object> noDropout = Map.of("model.hidden_dropout_prob", 0.0, "model.attention_probs_dropout_prob", 0.0);
        try (PretrainedModel padded = AutoModel.miniLm(LoadOptions.defaults().overrides(noDropout));
                PretrainedModel unpadded = AutoModel.miniLm(LoadOptions.defaults().overrides(noDropout)
                        .patch(UnpadPatch.NAME, Map.of()));
                NDManager manager = NDManager.newBaseManager()) {
            int batch = 6;
            int seq = 24;
            long[][] ids = new long[batch][seq];
            long[][] mask = new long[batch][seq];
            for (int b = 0; b < batch; b++) {
                int length = 3 + b * 4;
                for (int i = 0; i < seq; i++) {
                    // Row 1 is left-padded; the others right-padded.
                    boolean real = b == 1 ? i >= seq - length : i < length;
                    ids[b][i] = real ? 1000 + (b * 37 + i * 11) % 20000 : 0;
                    mask[b][i] = real ? 1 : 0;
                }
            }
            NDArray maskArray = manager.create(mask);
            NDList inputs = new NDList(manager.create(ids), maskArray);
            for (PretrainedModel m : new PretrainedModel[] {padded, unpadded}) {
                Mhc.builder().target("BertLayer").maxHistory(3).epsilon(0.2).inject(m.block());
            }
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray[] grads = new NDArray[2];
            NDArray[] outs = new NDArray[2];
            PretrainedModel[] models = {padded, unpadded};
            for (int m = 0; m < 2; m++) {
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    outs[m] = models[m].block().forward(ps, inputs, true).head();
                    NDArray keep = maskArray.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(-1);
                    collector.backward(outs[m].mul(keep).square().sum());
                }
                grads[m] = Mhc.parameters(models[m].block()).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("encoder.layer.3.")).findFirst().orElseThrow().getValue()
                        .getArray().getGradient().duplicate();
            }
            float diff = realTokenDiff(outs[0], outs[1], maskArray);
            assertTrue(diff <= 1e-5f, "unpadded differs from padded by " + diff + " on real tokens");
            float gradDiff = grads[0].sub(grads[1]).abs().max().getFloat();
            float scale = grads[0].abs().max().getFloat();
            assertTrue(scale > 0 && gradDiff <= 1e-4f * scale, "mixing gradients differ by " + gradDiff + " of " + scale);
        }
    }

    @Test
    void onlyBertHasIt() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoModel.fromPretrained(Golden.fixture("gpt2-tiny").dir(), UNPAD));
        assertTrue(e.getMessage().contains("no patch \"unpad\" for model type \"gpt2\""), e.getMessage());
    }
}
