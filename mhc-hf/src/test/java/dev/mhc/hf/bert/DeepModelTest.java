package dev.mhc.hf.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mhc.core.module.ModuleTree;
import dev.mhc.hf.config.HfConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config with 20,000 layers builds and walks: registering children used to format a string per
 * existing child (quadratic; 100,000 layers were still building after 600 s). The timeout only
 * guards against that regression, far above the seconds this takes.
 */
class DeepModelTest {

    @TempDir Path dir;

    @Test
    void twentyThousandLayersBuildInLinearTime() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"hidden_size\": 4,"
                + " \"num_hidden_layers\": 20000, \"num_attention_heads\": 1, \"intermediate_size\": 4,"
                + " \"vocab_size\": 10, \"max_position_embeddings\": 8, \"type_vocab_size\": 2}");
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            BertModel model = new BertModel(HfConfigs.read(dir, BertConfig.class));
            assertEquals(20000, ModuleTree.classCounts(model).get("BertLayer"));
            assertEquals("encoder.layer.19999.output.dense", ModuleTree.walk(model).stream()
                    .filter(e -> e.path().startsWith("encoder.layer.19999.output.dense")).findFirst().orElseThrow().path());
        });
    }
}
