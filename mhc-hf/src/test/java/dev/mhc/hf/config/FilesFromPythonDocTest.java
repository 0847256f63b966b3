package dev.mhc.hf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mhc.hf.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/files-from-python.md names every config.json key a family declares inert or refused. */
class FilesFromPythonDocTest {

    @Test
    void theDocNamesEveryDeclaredKey() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("user.dir")).getParent()
                .resolve("docs/files-from-python.md"));
        TreeSet<String> missing = new TreeSet<>();
        for (String type : ModelRegistry.global().modelTypes()) {
            for (String key : ModelRegistry.global().family(type).configKeys().rules().keySet()) {
                if (!doc.contains("`" + key + "`")) {
                    missing.add(type + ": " + key);
                }
            }
        }
        assertEquals(List.of(), List.copyOf(missing), "keys the code declares and docs/files-from-python.md omits");
    }
}
