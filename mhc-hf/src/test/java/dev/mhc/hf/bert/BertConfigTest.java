package dev.mhc.hf.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mhc.hf.config.HfConfigs;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertConfigTest {

    @TempDir Path tmp;

    @Test
    void unknownKeysAreKeptAndDefaultsFilled() {
        BertConfig config = HfConfigs.read(Golden.fixture("bert-tiny").dir(), BertConfig.class);
        assertEquals("4.50.3", config.extra().get("transformers_version"));
        assertTrue(config.extra().containsKey("use_cache"));
        assertEquals(2, config.numLabels());
        assertEquals(16, config.headDim());
    }

    @Test
    void wrongTypesAndImpossibleValuesAreClearErrors() throws IOException {
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"bert\", \"hidden_size\": \"big\"}");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> HfConfigs.read(tmp, BertConfig.class));
        assertTrue(type.getMessage().contains("hidden_size"), type.getMessage());

        Files.writeString(tmp.resolve("config.json"),
                "{\"model_type\": \"bert\", \"hidden_size\": 64, \"num_attention_heads\": 5}");
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> HfConfigs.read(tmp, BertConfig.class));
        assertTrue(heads.getMessage().contains("hidden_size 64 is not divisible by num_attention_heads 5"), heads.getMessage());
    }
}
