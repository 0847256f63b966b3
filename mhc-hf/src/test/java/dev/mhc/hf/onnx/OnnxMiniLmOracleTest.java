package dev.mhc.hf.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plain-Java BERT forward pass over the imported tensors reproduces ONNX Runtime's output of
 * the original graph, so every tensor sits under the right name and in the right layout.
 */
class OnnxMiniLmOracleTest {
    /** "[CLS] a man is eating food . [SEP]" in BERT's uncased vocabulary. */
    static final long[] A_MAN_IS_EATING_FOOD = {101, 1037, 2158, 2003, 5983, 2833, 1012, 102};
    /** "[CLS] a man [SEP]", padded to the same length. */
    static final long[] A_MAN_PADDED = {101, 1037, 2158, 102, 0, 0, 0, 0};

    private static OrtOracle oracle;

    @BeforeAll
    static void openOracle() throws Exception {
        oracle = OrtOracle.forResource(AllMiniLmL6V2.ONNX_RESOURCE);
    }

    @AfterAll
    static void closeOracle() throws Exception {
        oracle.close();
    }

    @Test
    void oracleSeesTheExportedSignature() throws Exception {
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), List.copyOf(oracle.inputNames()));
        assertEquals(List.of("last_hidden_state"), oracle.outputNames());
    }

    @Test
    void plainJavaForwardOnImportedWeightsMatchesOnnxRuntime() throws Exception {
        long[] maskA = new long[8];
        Arrays.fill(maskA, 1);
        long[] maskB = {1, 1, 1, 1, 0, 0, 0, 0};
        long[] types = new long[8];
        OrtOracle.Output ort = oracle.lastHiddenState(new long[][] {A_MAN_IS_EATING_FOOD, A_MAN_PADDED},
                new long[][] {maskA, maskB}, new long[][] {types, types});
        assertArrayEquals(new long[] {2, 8, 384}, ort.shape());

        OnnxBertImport imp = MiniLmFixture.imported();
        PlainBert bert = new PlainBert(imp.tensors(), imp.config());
        compare(ort.values(), 0, bert.lastHiddenState(A_MAN_IS_EATING_FOOD, types, maskA), 8);
        compare(ort.values(), 8 * 384, bert.lastHiddenState(A_MAN_PADDED, types, maskB), 4);
    }

    /** Compares the first {@code tokens} rows; padded rows are unspecified in BERT's output. */
    private static void compare(float[] ort, int offset, float[] ours, int tokens) {
        double maxDiff = 0;
        for (int i = 0; i < tokens * 384; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ort[offset + i] - ours[i]));
        }
        assertEquals(0, maxDiff, 1e-4, "largest |ORT - plain Java| over " + tokens + " tokens");
    }
}
