package dev.mhc.hf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as mhc_config.json or adapter_config.json beside real saved weights, loaded onto the
 * tiny BERT: the load works (and is undone) or fails as documented, an IOException for a bad file
 * or an IllegalArgumentException for a save that does not fit the model, leaving the model as it was
 * (no layer injected, the same modules).
 */
class AdapterConfigFuzzTest {

    private static PretrainedModel bert;
    @TempDir static Path dir;
    private static Path mhcDir;
    private static Path loraDir;
    private static String structure;

    @BeforeAll
    static void setUp() throws IOException {
        bert = AutoModel.fromPretrained(Golden.fixture("bert-tiny").dir());
        structure = ModuleTree.classCounts(bert.block()).toString();
        mhcDir = dir.resolve("mhc");
        loraDir = dir.resolve("lora");
        Mhc.injectMhc(bert.block(), "BertLayer", 3);
        Mhc.save(bert.block(), mhcDir);
        Mhc.remove(bert.block());
        Lora.inject(bert.block(), LoraConfig.of(2, 4, 0, List.of("query", "value")));
        Lora.save(bert.block(), loraDir);
        Lora.remove(bert.block());
    }

    @AfterAll
    static void tearDown() {
        bert.close();
    }

    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void anyConfig(byte[] bytes) throws Exception {
        boolean mhc = bytes.length > 0 && (bytes[0] & 1) == 0; // one byte picks the file, the rest is its content
        byte[] content = bytes.length == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        Path dir = mhc ? mhcDir : loraDir;
        Files.write(dir.resolve(mhc ? "mhc_config.json" : "adapter_config.json"), content);
        Expected.only(List.of(IOException.class, IllegalArgumentException.class), () -> {
            try {
                if (mhc) {
                    Mhc.load(bert.block(), dir);
                } else {
                    Lora.load(bert.block(), dir);
                }
            } finally {
                Mhc.remove(bert.block());
                Lora.remove(bert.block());
            }
        });
        String after = ModuleTree.classCounts(bert.block()).toString();
        if (!after.equals(structure)) {
            throw new AssertionError("the model changed: " + structure + " -> " + after);
        }
    }
}
