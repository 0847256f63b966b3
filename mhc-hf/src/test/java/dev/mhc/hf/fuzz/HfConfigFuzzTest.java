package dev.mhc.hf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mhc.hf.config.ConfigException;
import dev.mhc.hf.config.HfConfigs;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as config.json: bound to its family's config (BERT, ViT, GPT-2, Gemma 3), or refused
 * with an IllegalArgumentException (ConfigException is one) or, for unreadable files, an
 * UncheckedIOException.
 */
class HfConfigFuzzTest {

    @TempDir static Path dir;

    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void anyConfig(byte[] bytes) throws Exception {
        Files.write(dir.resolve(HfConfigs.CONFIG_FILE), bytes);
        Expected.only(List.of(IllegalArgumentException.class, UncheckedIOException.class), () -> {
            ObjectNode tree = HfConfigs.readTree(dir);
            String source = dir.resolve(HfConfigs.CONFIG_FILE).toString();
            ModelFamily<?> family = ModelRegistry.global().family(HfConfigs.modelType(tree, source));
            HfConfigs.bind(tree, family.configClass(), source);
            family.resolve(HfConfigs.architectures(tree, source));
        });
    }
}
