package dev.mhc.core.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.streams.HyperConnections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory holds one save: saving another kind there replaces the first, and keeps other files. */
class OneKindPerDirectoryTest {

    @TempDir Path tmp;

    @Test
    void theKindsAreListedOnce() {
        List<String> names = AdapterKinds.all().stream().map(AdapterKind::name).toList();
        assertTrue(names.containsAll(List.of(Mhc.kind().name(), Lora.kind().name(), HyperConnections.kind().name())),
                names.toString());
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }

    @Test
    void aSaveOfAnotherKindReplacesTheFirst() throws IOException {
        Path dir = tmp.resolve("save");
        try (NDManager manager = NDManager.newBaseManager()) {
            InterruptedSaveTest.Stack model = InterruptedSaveTest.Stack.initialised(manager);
            Mhc.builder().target("Dense").maxHistory(2).inject(model);
            Mhc.save(model, dir);
            Files.writeString(dir.resolve("notes.txt"), "mine");
            Lora.inject(model, LoraConfig.of(2, 4, 0, List.of("dense")));
            Lora.save(model, dir);
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of("adapter_config.json", "adapter_model.safetensors", "notes.txt"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            IOException gone = assertThrows(IOException.class,
                    () -> Mhc.load(InterruptedSaveTest.Stack.initialised(manager), dir));
            assertTrue(gone.getMessage().contains("lacks mhc_config.json"), gone.getMessage());
            assertEquals(Lora.kind(), AdapterKinds.of(dir), "the directory names its kind by its config file");
            InterruptedSaveTest.Stack fresh = InterruptedSaveTest.Stack.initialised(manager);
            assertEquals(Lora.kind(), AdapterKinds.load(fresh, dir));
            assertEquals(4, Lora.layers(fresh).size());
            IOException none = assertThrows(IOException.class,
                    () -> AdapterKinds.of(Files.createDirectories(tmp.resolve("empty"))));
            assertTrue(none.getMessage().contains("holds no save"), none.getMessage());
        }
    }
}
