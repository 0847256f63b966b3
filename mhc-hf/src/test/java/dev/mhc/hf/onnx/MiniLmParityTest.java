package dev.mhc.hf.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtException;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.common.MeanPooling;
import dev.mhc.hf.testing.Golden;
import dev.mhc.hf.tokenize.TextTokenizer;
import dev.mhc.hf.tokenize.TokenBatch;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real all-MiniLM-L6-v2: our BertModel with weights imported from the ONNX export, against
 * ONNX Runtime running that export on the same token ids.
 */
class MiniLmParityTest {

    private static final List<String> SENTENCES = List.of(
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
            "A man is riding a horse on a sunny beach while the crowd watches.");

    private static PretrainedModel model;
    private static TextTokenizer tokenizer;
    private static OrtOracle oracle;

    @BeforeAll
    static void load() throws IOException, OrtException {
        model = AutoModel.miniLm();
        tokenizer = AllMiniLmL6V2.tokenizer();
        oracle = OrtOracle.forResource(AllMiniLmL6V2.ONNX_RESOURCE);
    }

    @AfterAll
    static void close() throws OrtException {
        model.close();
        tokenizer.close();
        oracle.close();
    }

    @Test
    void theTokenizerGivesBertUncasedIds() {
        TokenBatch batch = tokenizer.encode(SENTENCES);
        long[] first = batch.inputIds()[0];
        // "A man is eating food." in BERT uncased WordPiece, then [PAD] (0) to the longest row.
        assertArrayEquals(new long[] {101, 1037, 2158, 2003, 5983, 2833, 1012, 102}, Arrays.copyOf(first, 8));
        for (int i = 8; i < first.length; i++) {
            assertEquals(0, first[i]);
            assertEquals(0, batch.attentionMask()[0][i]);
        }
        int longest = batch.inputIds()[3].length;
        for (long[] row : batch.inputIds()) {
            assertEquals(longest, row.length);
        }
        assertEquals(102, batch.inputIds()[3][longest - 1]);
    }

    @Test
    void lastHiddenStateAndSentenceSimilarityMatchOnnxRuntime() throws OrtException {
        TokenBatch batch = tokenizer.encode(SENTENCES);
        OrtOracle.Output expected = oracle.lastHiddenState(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList inputs = batch.toNDList(manager);
            NDArray ours = model.predict(inputs).head();
            NDArray theirs = manager.create(expected.values(), new Shape(expected.shape()));
            float diff = Golden.maxAbsDiff(theirs, ours);
            System.out.printf("all-MiniLM-L6-v2 vs ONNX Runtime: last_hidden_state max abs diff %.3g%n", diff);
            assertTrue(diff <= 1e-4f, "last_hidden_state differs by " + diff);

            NDArray ourEmbeddings = MeanPooling.embed(ours, inputs.get(1));
            NDArray ortEmbeddings = MeanPooling.embed(theirs, inputs.get(1));
            float ourCosine = cosine(ourEmbeddings, 0, 1);
            float ortCosine = cosine(ortEmbeddings, 0, 1);
            System.out.printf("cosine(\"%s\", \"%s\") = %.6f (ONNX Runtime %.6f)%n",
                    SENTENCES.get(0), SENTENCES.get(1), ourCosine, ortCosine);
            assertEquals(ortCosine, ourCosine, 1e-5f);
            assertTrue(ourCosine > cosine(ourEmbeddings, 0, 2), "eating sentences are closer than unrelated ones");
        }
    }

    @Test
    void mhcAtEpsilonZeroKeepsTheRealModel() {
        TokenBatch batch = tokenizer.encode(SENTENCES);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray plain = model.predict(batch.toNDList(manager)).head();
            Mhc.builder().target("BertLayer").maxHistory(4).epsilon(0).inject(model.block());
            try {
                assertEquals(24, Mhc.parameters(model.block()).values().stream().mapToLong(p -> p.getArray().size()).sum());
                NDArray injected = model.predict(batch.toNDList(manager)).head();
                assertTrue(Golden.maxAbsDiff(plain, injected) <= 1e-6f);
            } finally {
                Mhc.remove(model.block());
            }
        }
    }

    private static float cosine(NDArray unitRows, int a, int b) {
        float[] x = unitRows.get(a).toFloatArray();
        float[] y = unitRows.get(b).toFloatArray();
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
        }
        return (float) dot;
    }
}
