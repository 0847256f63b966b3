package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads (and re-writes) a checkpoint saved by Hugging Face transformers, to prove compatibility. */
class SafetensorsInteropTest {
    @TempDir
    Path dir;

    private static Path fixture() throws URISyntaxException {
        return Path.of(SafetensorsInteropTest.class.getResource("/fixtures/bert-tiny/model.safetensors").toURI());
    }

    @Test
    void readsHuggingFaceFile() throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(fixture()); NDManager m = NDManager.newBaseManager()) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(55, f.names().size());
            assertEquals("embeddings.LayerNorm.bias", f.names().get(0));
            TensorInfo emb = f.info("embeddings.word_embeddings.weight");
            assertEquals(TensorDType.F32, emb.dtype());
            assertArrayEquals(new long[] {512, 64}, emb.shape());
            assertArrayEquals(new long[] {64, 128}, f.info("encoder.layer.0.output.dense.weight").shape());
            float[] w = f.readFloats("embeddings.word_embeddings.weight");
            assertEquals(512 * 64, w.length);
            assertEquals(0.20757035911083221f, w[w.length - 1]);
            for (String name : f.names()) {
                assertEquals(f.info(name).numel(), f.readFloats(name).length, name);
            }
            try (NDArray a = f.load("embeddings.word_embeddings.weight", m)) {
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertArrayEquals(w, a.toFloatArray());
            }
        }
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(fixture().getParent())) {
            assertEquals(55, c.names().size());
        }
    }

    @Test
    void rewriteIsByteIdenticalToHuggingFace() throws Exception {
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, String> meta;
        try (SafetensorsFile f = SafetensorsFile.open(fixture())) {
            for (String name : f.names()) {
                data.put(name, f.readFloats(name));
                shapes.put(name, f.info(name).shape());
            }
            meta = f.metadata();
        }
        Path copy = dir.resolve("model.safetensors");
        SafetensorsWriter.writeFloats(copy, data, shapes, meta);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(fixture()), Files.readAllBytes(copy)),
                "same header layout, padding and data as Hugging Face's writer");
    }
}
