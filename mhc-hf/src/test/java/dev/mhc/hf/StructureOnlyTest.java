package dev.mhc.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.ModuleTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config-only directory of a model too large for the machine: its structure builds without one
 * weight allocated, takes an injection and a save; computing with it is refused before allocating.
 */
class StructureOnlyTest {

    @TempDir Path tmp;

    @Test
    void anEightBillionParameterConfigBuildsWithoutWeights() throws IOException {
        Files.writeString(tmp.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\":"
                + " \"llama\", \"hidden_size\": 4096, \"intermediate_size\": 14336, \"num_attention_heads\": 32,"
                + " \"num_key_value_heads\": 8, \"num_hidden_layers\": 32, \"vocab_size\": 128256}");
        try (PretrainedModel model = AutoModel.structure(tmp, LoadOptions.defaults())) {
            long parameters = ModuleTree.parameters(model.block()).values().stream()
                    .mapToLong(p -> p.getShape().size()).sum();
            assertEquals(8_030_261_248L, parameters, "Llama 3 8B's parameter count");
            assertTrue(ModuleTree.parameters(model.block()).values().stream().noneMatch(Parameter::isInitialized),
                    "no weight allocated");
            Mhc.injectMhc(model.block(), "LlamaDecoderLayer", 4);
            Mhc.save(model.block(), tmp.resolve("mixing"));
            assertEquals(32, Mhc.layers(model.block()).size());
        }
        Path seventy = Files.createDirectories(tmp.resolve("70b")); // 282 GB in float32: more than any test machine
        Files.writeString(seventy.resolve("config.json"), "{\"model_type\": \"llama\", \"hidden_size\": 8192,"
                + " \"intermediate_size\": 28672, \"num_attention_heads\": 64, \"num_key_value_heads\": 8,"
                + " \"num_hidden_layers\": 80, \"vocab_size\": 128256}");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AutoModel.fromConfig(seventy).close());
        assertTrue(refused.getMessage().contains("more than this machine's"), refused.getMessage());
    }
}
