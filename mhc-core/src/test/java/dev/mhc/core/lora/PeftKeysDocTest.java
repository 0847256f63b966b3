package dev.mhc.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/files-from-python.md names every adapter_config.json key PeftAdapterConfig declares. */
class PeftKeysDocTest {

    @Test
    void theDocNamesEveryDeclaredKey() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("user.dir")).getParent()
                .resolve("docs/files-from-python.md"));
        TreeSet<String> keys = new TreeSet<>(PeftAdapterConfig.INERT.keySet());
        keys.addAll(PeftAdapterConfig.REFUSED_UNLESS_DEFAULT.keySet());
        keys.removeIf(key -> doc.contains("`" + key + "`"));
        assertEquals(List.of(), List.copyOf(keys), "keys the code declares and docs/files-from-python.md omits");
    }
}
