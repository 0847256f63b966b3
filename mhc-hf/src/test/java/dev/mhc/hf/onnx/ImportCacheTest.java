package dev.mhc.hf.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mhc.core.io.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded model's import is cached as safetensors: the same numbers, and a damaged cache is rebuilt. */
class ImportCacheTest {

    @TempDir Path cache;
    private String previous;

    @BeforeEach
    void useTemporaryCache() {
        previous = System.setProperty("mhc.cache.dir", cache.toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty("mhc.cache.dir");
        } else {
            System.setProperty("mhc.cache.dir", previous);
        }
    }

    @Test
    void theCacheHoldsExactlyTheImportAndADamagedOneIsRebuilt() throws IOException {
        OnnxBertImport imported = OnnxBertImport.fromResource(AllMiniLmL6V2.ONNX_RESOURCE);
        try (ImportCache.Entry first = ImportCache.resource(AllMiniLmL6V2.ONNX_RESOURCE)) {
            assertInstanceOf(SafetensorsCheckpoint.class, first.tensors(), "read back from the cache it wrote");
            assertEquals(imported.config(), first.config());
            for (String name : first.tensors().names()) {
                assertArrayEquals(imported.tensors().readFloats(name), first.tensors().readFloats(name), name);
            }
            assertTrue(first.tensors().contains("encoder.layer.5.output.dense.weight"));
        }
        Path weights;
        try (Stream<Path> files = Files.walk(cache)) {
            weights = files.filter(p -> p.getFileName().toString().equals(ImportCache.WEIGHTS)).findFirst().orElseThrow();
        }
        long size = Files.size(weights);
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2);
        }
        try (ImportCache.Entry rebuilt = ImportCache.resource(AllMiniLmL6V2.ONNX_RESOURCE)) {
            assertArrayEquals(imported.tensors().readFloats("encoder.layer.5.output.dense.weight"),
                    rebuilt.tensors().readFloats("encoder.layer.5.output.dense.weight"));
        }
        assertEquals(size, Files.size(weights), "the damaged cache was written again");
    }
}
