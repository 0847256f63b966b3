package dev.mhc.hf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mhc.core.io.SafetensorsCheckpoint;
import dev.mhc.core.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as model.safetensors.index.json beside two real shards: opened, or an IOException (a
 * name pointing out of the directory, at a missing shard, or at the wrong shard included).
 */
class ShardIndexFuzzTest {

    @TempDir static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        SafetensorsWriter.writeFloats(dir.resolve("a.safetensors"), Map.of("x", new float[] {1, 2}),
                Map.of("x", new long[] {2}), Map.of());
        SafetensorsWriter.writeFloats(dir.resolve("b.safetensors"), Map.of("y", new float[] {3}),
                Map.of("y", new long[] {1}), Map.of());
    }

    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void anyIndex(byte[] bytes) throws Exception {
        Path index = Files.write(dir.resolve(SafetensorsCheckpoint.INDEX_FILE), bytes);
        Expected.only(List.of(IOException.class), () -> {
            try (SafetensorsCheckpoint opened = SafetensorsCheckpoint.open(index)) {
                for (String name : opened.names()) {
                    opened.readFloats(name);
                }
            }
        });
    }
}
