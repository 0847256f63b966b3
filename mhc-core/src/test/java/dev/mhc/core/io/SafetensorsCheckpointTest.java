package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    @BeforeEach
    void writeShards() throws IOException {
        Map<String, float[]> one = new LinkedHashMap<>();
        one.put("layer.0.weight", new float[] {1, 2, 3, 4});
        one.put("layer.0.bias", new float[] {5, 6});
        SafetensorsWriter.writeFloats(dir.resolve(SHARD1), one,
                Map.of("layer.0.weight", new long[] {2, 2}, "layer.0.bias", new long[] {2}), Map.of("format", "pt"));
        SafetensorsWriter.writeFloats(dir.resolve(SHARD2), Map.of("layer.1.weight", new float[] {7, 8, 9}),
                Map.of("layer.1.weight", new long[] {3}), Map.of("format", "pt"));
    }

    private Path index(String weightMap) throws IOException {
        return Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"metadata\": {\"total_size\": 36}, \"weight_map\": {" + weightMap + "}}");
    }

    private Path goodIndex() throws IOException {
        return index("\"layer.1.weight\": \"" + SHARD2 + "\", \"layer.0.bias\": \"" + SHARD1 + "\", "
                + "\"layer.0.weight\": \"" + SHARD1 + "\"");
    }

    private void assertShardedContent(SafetensorsCheckpoint c) throws IOException {
        assertEquals(List.of("layer.1.weight", "layer.0.bias", "layer.0.weight"), c.names());
        assertEquals(Map.of("total_size", "36"), c.metadata());
        assertArrayEquals(new long[] {2, 2}, c.info("layer.0.weight").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.readFloats("layer.0.weight"));
        assertArrayEquals(new float[] {7, 8, 9}, c.readFloats("layer.1.weight"));
        assertArrayEquals(new double[] {5, 6}, c.readDoubles("layer.0.bias"));
        assertTrue(c.contains("layer.0.bias"));
        assertFalse(c.contains("layer.2.bias"));
        try (NDManager m = NDManager.newBaseManager(); NDArray a = c.load("layer.0.weight", m)) {
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertArrayEquals(new long[] {2, 2}, a.getShape().getShape());
            assertArrayEquals(new float[] {1, 2, 3, 4}, a.toFloatArray());
        }
    }

    @Test
    void opensShardsViaDirectoryAndViaIndex() throws IOException {
        Path index = goodIndex();
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertShardedContent(c);
        }
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(index)) {
            assertShardedContent(c);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.readFloats("nope"));
            assertTrue(e.getMessage().contains("no tensor named 'nope'; it has 3 tensors"), e.getMessage());
        }
    }

    @Test
    void singleFileViaDirectoryWinsOverIndexAndViaPath() throws IOException {
        goodIndex();
        Path single = Files.copy(dir.resolve(SHARD2), dir.resolve(SafetensorsCheckpoint.SINGLE_FILE));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertEquals(List.of("layer.1.weight"), c.names());
            assertEquals(Map.of("format", "pt"), c.metadata());
            assertArrayEquals(new float[] {7, 8, 9}, c.readFloats("layer.1.weight"));
        }
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(single)) {
            assertEquals(single, c.source());
            assertEquals(List.of("layer.1.weight"), c.names());
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        goodIndex();
        Files.delete(dir.resolve(SHARD2));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("shard '" + SHARD2 + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("layer.1.weight"), e.getMessage());
    }

    @Test
    void nameMappedToWrongShardIsNamed() throws IOException {
        index("\"layer.0.weight\": \"" + SHARD1 + "\", \"layer.1.weight\": \"" + SHARD1 + "\", "
                + "\"layer.0.bias\": \"" + SHARD2 + "\"");
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("maps tensor 'layer.1.weight' to shard '" + SHARD1
                + "', but that shard has no such tensor (it is in '" + SHARD2 + "')"), e.getMessage());
    }

    @Test
    void nameInNoShardIsNamed() throws IOException {
        index("\"layer.9.weight\": \"" + SHARD1 + "\"");
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("'layer.9.weight'") && e.getMessage().contains("no shard contains it"),
                e.getMessage());
    }

    @Test
    void corruptShardFailsAtOpen() throws IOException {
        goodIndex();
        byte[] bytes = Files.readAllBytes(dir.resolve(SHARD2));
        Files.write(dir.resolve(SHARD2), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains(SHARD2), e.getMessage());
    }

    @Test
    void badIndexes() throws IOException {
        Path idx = Files.writeString(dir.resolve("x.index.json"), "{\"weight_map\": ");
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(idx)).getMessage()
                .contains("x.index.json: not valid JSON"));
        Files.writeString(idx, "{\"metadata\": {}}");
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(idx)).getMessage()
                .contains("no non-empty \"weight_map\""));
        Files.writeString(idx, "{\"weight_map\": {\"a\": 3}}");
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(idx)).getMessage()
                .contains("maps 'a' to 3 instead of a shard file name"));
        Files.writeString(idx, "{\"weight_map\": {\"a\": \"../elsewhere.safetensors\"}}");
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(idx)).getMessage()
                .contains("not a file in the index's directory"));
    }

    @Test
    void directoryWithoutCheckpointListsWhatItHas() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("config.json"), "{}");
        Files.writeString(empty.resolve("pytorch_model.bin"), "");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafetensorsCheckpoint.open(empty));
        assertTrue(e.getMessage().contains("neither model.safetensors nor model.safetensors.index.json"), e.getMessage());
        assertTrue(e.getMessage().contains("[config.json, pytorch_model.bin]"), e.getMessage());
        e = assertThrows(NoSuchFileException.class, () -> SafetensorsCheckpoint.open(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }
}
