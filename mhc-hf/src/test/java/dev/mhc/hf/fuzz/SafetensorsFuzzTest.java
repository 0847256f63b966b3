package dev.mhc.hf.fuzz;

import ai.djl.ndarray.NDManager;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mhc.core.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Any bytes as a .safetensors file: opened, every tensor read and loaded, or an IOException. */
class SafetensorsFuzzTest {

    @TempDir static Path dir;
    private static Path file;
    private static NDManager manager;

    @BeforeAll
    static void setUp() throws IOException {
        file = dir.resolve("fuzz.safetensors");
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void anyBytes(byte[] bytes) throws Exception {
        Files.write(file, bytes);
        Expected.only(List.of(IOException.class), () -> {
            try (SafetensorsFile opened = SafetensorsFile.open(file); NDManager call = manager.newSubManager()) {
                for (String name : opened.names()) {
                    opened.load(name, call).close();
                }
            }
        });
    }
}
