package dev.mhc.hf.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mhc.core.io.TensorSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way an exporter may lay out BERT's weights imports to the torch tensors it came from. */
class OnnxSyntheticImportTest {

    private static OnnxBertImport importOf(TinyBertExport export) throws IOException {
        return OnnxBertImport.from(OnnxModel.parse(export.build(), "tiny.onnx"));
    }

    private static void assertMatchesTruth(TinyBertExport export, OnnxBertImport imp) throws IOException {
        TensorSource t = imp.tensors();
        List<String> floatKeys = new ArrayList<>(t.names());
        floatKeys.remove("embeddings.position_ids");
        assertEquals(List.copyOf(export.truth.keySet()), floatKeys);
        for (String key : export.truth.keySet()) {
            assertArrayEquals(export.shapes.get(key), t.info(key).shape(), key);
            assertArrayEquals(export.truth.get(key), t.readFloats(key), key);
        }
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, t.readLongs("embeddings.position_ids"));
    }

    @ParameterizedTest
    @EnumSource(TinyBertExport.Linear.class)
    void everyLinearLayoutImportsInTorchLayout(TinyBertExport.Linear layout) throws IOException {
        TinyBertExport export = new TinyBertExport();
        export.linear = layout;
        OnnxBertImport imp = importOf(export);
        assertMatchesTruth(export, imp);
        assertEquals(List.of(), imp.unmapped());
        assertEquals(List.of(), imp.missing());
    }

    @Test
    void bertPrefixIsStrippedFromTensorAndNodeNames() throws IOException {
        TinyBertExport export = new TinyBertExport();
        export.prefix = "bert.";
        export.linear = TinyBertExport.Linear.NAMED_GEMM;
        assertMatchesTruth(export, importOf(export));
    }

    @Test
    void anonymousBiasesAreNamedFromTheirAddNode() throws IOException {
        TinyBertExport export = new TinyBertExport();
        export.anonymousBiases = true;
        OnnxBertImport imp = importOf(export);
        assertMatchesTruth(export, imp);
        assertEquals(List.of(), imp.unmapped());
    }

    @Test
    void aLayerNormWeightSharedByDeduplicationFillsEveryKey() throws IOException {
        TinyBertExport export = new TinyBertExport();
        export.sharedLayerNormWeight = true;
        OnnxBertImport imp = importOf(export);
        assertMatchesTruth(export, imp);
        assertEquals(List.of(), imp.missing());
    }

    @Test
    void configComesFromShapesAndGraphConstants() throws IOException {
        OnnxBertConfig c = importOf(new TinyBertExport()).config();
        assertEquals(new OnnxBertConfig(10, 4, 2, 2, 8, 6, 2, 1e-12), c);
    }

    @Test
    void aClassifierHeadIsReportedAsUnmapped() throws IOException {
        TinyBertExport export = new TinyBertExport();
        export.classifierHead = true;
        OnnxBertImport imp = importOf(export);
        assertMatchesTruth(export, imp);
        assertEquals(List.of("classifier.weight", "classifier.bias"),
                imp.unmapped().stream().map(OnnxBertImport.Unmapped::name).toList());
        OnnxBertImport.Unmapped head = imp.unmapped().get(0);
        assertEquals(List.of("Gemm '/classifier/Gemm'"), head.consumers());
        assertEquals("FLOAT[3, 4]", head.type());
        assertTrue(head.toString().contains("BertModel key"), head.toString());
    }

    @Test
    void anAbsentTensorIsReportedAsMissing() throws IOException {
        TinyBertExport export = new TinyBertExport();
        export.dropKey = "encoder.layer.1.output.LayerNorm.bias";
        OnnxBertImport imp = importOf(export);
        assertEquals(List.of("encoder.layer.1.output.LayerNorm.bias"), imp.missing());
        assertMatchesTruth(export, imp);
    }

    @Test
    void aGraphWithoutEncoderLayersIsRefusedWithItsInitializerNames() {
        byte[] mlp = new OnnxProtoWriter.Graph()
                .initializer(OnnxProtoWriter.floats("fc.weight", new long[] {2, 3}, new float[6]))
                .initializer(OnnxProtoWriter.floats("fc.bias", new long[] {2}, new float[2]))
                .node("/fc/Gemm", "Gemm", List.of("x", "fc.weight", "fc.bias"), List.of("y"))
                .input("x").output("y").model(14);
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxBertImport.from(OnnxModel.parse(mlp, "mlp.onnx")));
        assertTrue(e.getMessage().startsWith("mlp.onnx: not a BERT-family export"), e.getMessage());
        assertTrue(e.getMessage().contains("'fc.weight', 'fc.bias'"), e.getMessage());
        assertTrue(e.getMessage().contains("encoder.layer.0"), e.getMessage());
    }

    @Test
    void float16WeightsAreWidened() throws IOException {
        short one = 0x3c00;
        short minusTwo = (short) 0xc000;
        byte[] model = new OnnxProtoWriter.Graph()
                .initializer(OnnxProtoWriter.halves("onnx::MatMul_1", new long[] {2, 1}, new short[] {one, minusTwo}))
                .node("/encoder/layer.0/attention/self/query/MatMul", "MatMul", List.of("x", "onnx::MatMul_1"),
                        List.of("y"))
                .model(14);
        OnnxBertImport imp = OnnxBertImport.from(OnnxModel.parse(model, "f16.onnx"));
        TensorSource t = imp.tensors();
        assertArrayEquals(new long[] {1, 2}, t.info("encoder.layer.0.attention.self.query.weight").shape());
        assertArrayEquals(new float[] {1f, -2f}, t.readFloats("encoder.layer.0.attention.self.query.weight"));
        assertTrue(imp.missing().contains("embeddings.word_embeddings.weight"));
    }
}
