package dev.mhc.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.config.ConfigOverrides;
import dev.mhc.hf.config.HfConfigs;
import dev.mhc.hf.patches.PatchRegistry;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The load path the registries exist for: config.json to a patched block, by model_type alone. */
class ModelRegistryFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void configJsonDispatchesOverridesPatchesAndBuilds() throws Exception {
        Files.writeString(
                dir.resolve("config.json"),
                "{\"model_type\": \"toy\", \"architectures\": [\"ToyModel\"], \"hidden_size\": 8,"
                        + " \"num_hidden_layers\": 4, \"num_attention_heads\": 2,"
                        + " \"hidden_act\": \"gelu\", \"vocab_size\": 100}");
        ModelRegistry models = new ModelRegistry();
        models.register(ModelRegistryTest.toyFamily("toy"));
        PatchRegistry patches = new PatchRegistry();
        patches.registerPreInit(
                "toy",
                "deep",
                ToyConfig.class,
                Set.of("extra_layers"),
                (config, opts) ->
                        config.withLayers(
                                config.numHiddenLayers() + opts.getInt("extra_layers", 0)));
        Block swapped = new LambdaBlock(x -> x, "Swapped");
        patches.registerPostInit(
                "toy",
                "swap",
                Set.of(),
                (model, opts) -> ((ToyModel) model).layers().replaceChild("0", swapped));

        ObjectNode tree = HfConfigs.readTree(dir);
        ModelFamily<?> family = models.family(HfConfigs.modelType(tree, "config.json"));
        Block block =
                build(
                        family,
                        tree,
                        ConfigOverrides.of(Map.of("model", Map.of("num_hidden_layers", 2))),
                        patches,
                        Map.of("extra_layers", 1, "unrelated", true));

        ToyModel model = assertInstanceOf(ToyModel.class, block);
        assertEquals(3, model.layers().size()); // 4 in the file, 2 by override, +1 by the patch
        assertEquals(100, model.config.extra().get("vocab_size")); // kept, though not modelled
        assertSame(swapped, model.layers().get(0));
    }

    /** What AutoModel.fromPretrained does with a family it knows only as ModelFamily<?>. */
    private static <C> Block build(
            ModelFamily<C> family,
            ObjectNode tree,
            ConfigOverrides overrides,
            PatchRegistry patches,
            Map<String, ?> options) {
        C config = overrides.bind(tree, family.configClass(), "config.json");
        config = patches.applyPreInit(family.modelType(), "deep", config, options);
        Block block = family.resolve(HfConfigs.architectures(tree, "config.json")).create(config);
        patches.applyPostInit(family.modelType(), "swap", block, options);
        return block;
    }

    @Test
    void architecturesAreReadFromTheTree() throws Exception {
        ObjectNode tree =
                (ObjectNode) JSON.readTree("{\"architectures\": [\"A\", \"B\"]}");
        assertEquals(List.of("A", "B"), HfConfigs.architectures(tree, "config.json"));
        assertEquals(List.of(), HfConfigs.architectures(JSON.createObjectNode(), "x"));
    }
}
