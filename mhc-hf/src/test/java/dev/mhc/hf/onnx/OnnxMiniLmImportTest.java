package dev.mhc.hf.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.io.TensorDType;
import dev.mhc.core.io.TensorSource;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2 export imports to exactly HF BertModel's keys and shapes. */
class OnnxMiniLmImportTest {
    private static final int H = 384;
    private static final int I = 1536;

    private static Map<String, long[]> expectedShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("embeddings.position_ids", new long[] {1, 512});
        m.put("embeddings.word_embeddings.weight", new long[] {30522, H});
        m.put("embeddings.position_embeddings.weight", new long[] {512, H});
        m.put("embeddings.token_type_embeddings.weight", new long[] {2, H});
        m.put("embeddings.LayerNorm.weight", new long[] {H});
        m.put("embeddings.LayerNorm.bias", new long[] {H});
        for (int i = 0; i < 6; i++) {
            String p = "encoder.layer." + i + ".";
            for (String qkv : List.of("query", "key", "value")) {
                m.put(p + "attention.self." + qkv + ".weight", new long[] {H, H});
                m.put(p + "attention.self." + qkv + ".bias", new long[] {H});
            }
            m.put(p + "attention.output.dense.weight", new long[] {H, H});
            m.put(p + "attention.output.dense.bias", new long[] {H});
            m.put(p + "attention.output.LayerNorm.weight", new long[] {H});
            m.put(p + "attention.output.LayerNorm.bias", new long[] {H});
            m.put(p + "intermediate.dense.weight", new long[] {I, H});
            m.put(p + "intermediate.dense.bias", new long[] {I});
            m.put(p + "output.dense.weight", new long[] {H, I});
            m.put(p + "output.dense.bias", new long[] {H});
            m.put(p + "output.LayerNorm.weight", new long[] {H});
            m.put(p + "output.LayerNorm.bias", new long[] {H});
        }
        return m;
    }

    @Test
    void graphIsTheTorchExportWeExpect() {
        OnnxModel model = MiniLmFixture.model();
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), model.inputNames());
        assertEquals(List.of("last_hidden_state"), model.outputNames());
        assertEquals(11, model.opsetVersion());
        assertEquals("pytorch", model.producerName());
        assertEquals(102, model.initializers().size());
        long anonymous = model.initializers().keySet().stream().filter(n -> n.startsWith("onnx::MatMul_")).count();
        assertEquals(36, anonymous, "one folded MatMul weight per Linear: 6 layers x 6");
    }

    @Test
    void keysAndShapesAreExactlyBertModels() {
        OnnxBertImport imp = MiniLmFixture.imported();
        TensorSource t = imp.tensors();
        Map<String, long[]> expected = expectedShapes();
        assertEquals(List.copyOf(expected.keySet()), t.names(), "keys in HF state-dict order");
        expected.forEach((key, shape) -> assertArrayEquals(shape, t.info(key).shape(), key));
        assertEquals(TensorDType.I64, t.info("embeddings.position_ids").dtype());
        assertEquals(TensorDType.F32, t.info("encoder.layer.5.output.dense.weight").dtype());
        assertEquals(List.of(), imp.unmapped());
        assertEquals(List.of(), imp.missing());
        assertFalse(t.contains("pooler.dense.weight"), "the export has no pooler");
    }

    @Test
    void configIsReadFromTheGraph() {
        assertEquals(new OnnxBertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12), MiniLmFixture.imported().config());
    }

    @Test
    void namedTensorsAreCopiedUnchanged() throws IOException {
        OnnxModel model = MiniLmFixture.model();
        TensorSource t = MiniLmFixture.imported().tensors();
        for (String key : List.of("embeddings.word_embeddings.weight", "encoder.layer.3.attention.self.key.bias",
                "encoder.layer.0.output.LayerNorm.weight")) {
            assertArrayEquals(model.initializers().get(key).toFloats(), t.readFloats(key), key);
        }
        long[] positions = t.readLongs("embeddings.position_ids");
        for (int i = 0; i < positions.length; i++) {
            assertEquals(i, positions[i]);
        }
    }

    /** x @ W_onnx (the MatMul as exported) equals W_imported @ x (torch's Linear) for layer 0's query. */
    @Test
    void matMulWeightIsTransposedToLinearLayout() throws IOException {
        OnnxModel model = MiniLmFixture.model();
        OnnxNode matMul = model.nodes().stream()
                .filter(n -> n.name().equals("/encoder/layer.0/attention/self/query/MatMul")).findFirst().orElseThrow();
        OnnxTensor onnxWeight = model.initializers().get(matMul.inputs().get(1));
        assertTrue(onnxWeight.name().startsWith("onnx::MatMul_"), onnxWeight.name());
        float[] wOnnx = onnxWeight.toFloats(); // [in, out]
        float[] wTorch = MiniLmFixture.imported().tensors().readFloats("encoder.layer.0.attention.self.query.weight");
        double[] x = new Random(7).doubles(H, -1, 1).toArray();
        for (int o = 0; o < H; o++) {
            double viaOnnx = 0;
            double viaTorch = 0;
            for (int i = 0; i < H; i++) {
                viaOnnx += x[i] * wOnnx[i * H + o];
                viaTorch += wTorch[o * H + i] * x[i];
            }
            assertEquals(viaOnnx, viaTorch, 1e-9, "output " + o);
        }
        // a square matrix that was not transposed would fail the check above unless symmetric
        assertFalse(Arrays.equals(wOnnx, wTorch));
    }

    @Test
    void tensorSourceLoadsIntoDjlAndRefusesWrongReads() throws IOException {
        TensorSource t = MiniLmFixture.imported().tensors();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = t.load("encoder.layer.0.intermediate.dense.weight", manager);
            assertEquals(new Shape(1536, 384), w.getShape());
            assertEquals(DataType.FLOAT32, w.getDataType());
            assertEquals(t.readFloats("encoder.layer.0.intermediate.dense.weight")[385], w.toFloatArray()[385]);
            NDArray ids = t.load("embeddings.position_ids", manager);
            assertEquals(DataType.INT64, ids.getDataType());
            assertEquals(new Shape(1, 512), ids.getShape());
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> t.readLongs("embeddings.LayerNorm.weight"));
        assertTrue(wrong.getMessage().contains("use readFloats"), wrong.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> t.info("bert.embeddings.LayerNorm.weight"));
        assertTrue(unknown.getMessage().contains("'embeddings.LayerNorm.weight'"), unknown.getMessage());
        assertEquals("onnx", t.metadata().get("format"));
        assertEquals("11", t.metadata().get("opset"));
    }
}
