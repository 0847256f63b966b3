package dev.mhc.hf.rotary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.config.ConfigException;
import dev.mhc.hf.generate.CausalLanguageModel;
import dev.mhc.hf.generate.GenerationConfig;
import dev.mhc.hf.generate.Generator;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * config.json as transformers 4.x and 5.x write it: a checkpoint saved by transformers 5.18 against
 * the logits and greedy tokens HF computed, each rotary fixture rewritten into the other form (the
 * rewrite follows transformers 5's {@code rope_parameters} layout) against the same goldens, and
 * every key accounted for: unknown ones reported, or refused under strict config; unsupported ones
 * refused by name.
 */
class ConfigFormsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float TOL = 1e-5f;

    @TempDir Path tmp;

    @Test
    void aTransformers5LlamaComputesWhatHuggingFaceComputed() throws IOException {
        Path dir = Golden.fixture("tf5-llama").dir();
        JsonNode golden = JSON.readTree(dir.resolve("golden.json").toFile());
        try (PretrainedModel model = AutoModel.fromPretrained(dir); NDManager manager = NDManager.newBaseManager()) {
            assertEquals(List.of(), model.report().unknownConfigKeys(), "every key of a transformers 5 file is known");
            assertWithin(golden, logits(model, golden, manager), "tf5-llama");
            CausalLanguageModel lm = (CausalLanguageModel) model.block();
            long[] greedy = new Generator(lm, 0, null).generate(List.of(longs(golden.get("prompt_ids"))),
                    GenerationConfig.greedy(8, Set.of()), null).get(0);
            assertArrayEquals(longs(golden.get("greedy_ids")), greedy, "greedy continuation");
        }
    }

    @Test
    void theTransformers5LlamaInThe4xFormComputesTheSame() throws IOException {
        Path dir = Golden.fixture("tf5-llama").dir();
        JsonNode golden = JSON.readTree(dir.resolve("golden.json").toFile());
        Path rewritten = rewrite(dir, ConfigFormsTest::to4x);
        assertTrue(!Files.readString(rewritten.resolve("config.json")).contains("rope_parameters"));
        try (PretrainedModel model = AutoModel.fromPretrained(rewritten);
                NDManager manager = NDManager.newBaseManager()) {
            assertWithin(golden, logits(model, golden, manager), "tf5-llama as 4.x writes it");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "llama-tiny-llama3-rope", "qwen2-tiny", "qwen3-tiny", "gemma3-tiny",
        "gemma3-tiny-linear-rope"})
    void eachFixtureInThe5xFormComputesTheSame(String fixture) throws IOException {
        Golden golden = Golden.fixture(fixture);
        Path rewritten = rewrite(golden.dir(), ConfigFormsTest::to5x);
        JsonNode config = JSON.readTree(rewritten.resolve("config.json").toFile());
        assertTrue(config.has("rope_parameters") && !config.has("rope_theta") && !config.has("rope_scaling"),
                config.toString());
        try (PretrainedModel model = AutoModel.fromPretrained(rewritten);
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(List.of(), model.report().unknownConfigKeys());
            NDArray logits = model.block().forward(new ParameterStore(manager, false),
                    new NDList(golden.input("input_ids", manager)), false).head();
            float diff = Golden.maxAbsDiff(golden.output("logits", manager), logits);
            assertTrue(diff <= TOL, fixture + " in the 5.x form differs from HF by " + diff);
            System.out.printf("%s in the 5.x form vs HF: max abs diff of the logits %.3g%n", fixture, diff);
        }
    }

    /** The families without RoPE differ between the forms only in keys that change nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"bert-tiny", "gpt2-tiny", "vit-tiny"})
    void theOtherFamiliesInThe5xFormComputeTheSame(String fixture) throws IOException {
        Golden golden = Golden.fixture(fixture);
        Path rewritten = rewrite(golden.dir(), tree -> {
            tree.put("dtype", tree.remove("torch_dtype").asText());
            tree.put("transformers_version", "5.18.0");
            if (!fixture.startsWith("vit")) {
                tree.put("tie_word_embeddings", true);
                tree.put("add_cross_attention", false);
            }
            return tree;
        });
        JsonNode inputs = JSON.readTree(golden.dir().resolve("golden.json").toFile()).get("inputs");
        try (PretrainedModel model = AutoModel.fromPretrained(rewritten, LoadOptions.defaults().strictConfig(true));
                NDManager manager = NDManager.newBaseManager()) {
            NDList in = new NDList();
            for (String name : List.of("input_ids", "attention_mask", "token_type_ids", "pixel_values")) {
                if (inputs.has(name)) {
                    in.add(golden.input(name, manager));
                }
            }
            NDArray out = model.block().forward(new ParameterStore(manager, false), in, false).head();
            String expected = fixture.startsWith("gpt2") ? "logits" : "last_hidden_state";
            float diff = Golden.maxAbsDiff(golden.output(expected, manager), out);
            assertTrue(diff <= TOL, fixture + " in the 5.x form differs from HF by " + diff);
        }
    }

    @Test
    void theQwen3SavedByTransformers5ComputesWhatHuggingFaceComputed() throws IOException {
        Path dir = Golden.fixture("peft-options/base").dir();
        JsonNode golden = JSON.readTree(dir.resolve("golden.json").toFile());
        try (PretrainedModel model = AutoModel.fromPretrained(dir); NDManager manager = NDManager.newBaseManager()) {
            assertEquals(List.of(), model.report().unknownConfigKeys());
            assertWithin(golden, logits(model, golden, manager), "peft-options/base");
        }
    }

    @Test
    void everyFixtureConfigIsAccountedFor() throws IOException {
        Path fixtures = Golden.fixture("tf5-llama").dir().getParent();
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(fixtures)) {
            dirs = walk.filter(p -> p.getFileName().toString().equals("config.json")).map(Path::getParent).toList();
        }
        assertTrue(dirs.size() >= 10, "fixtures found: " + dirs);
        for (Path dir : dirs) {
            try (PretrainedModel model = AutoModel.fromConfig(dir, LoadOptions.defaults().strictConfig(true))) {
                assertEquals(List.of(), model.report().unknownConfigKeys(), dir.toString());
            }
        }
    }

    @Test
    void anUnknownKeyIsReportedAndRefusedUnderStrictConfig() throws IOException {
        Path dir = rewrite(Golden.fixture("tf5-llama").dir(), tree -> {
            tree.put("future_switch", true);
            ((ObjectNode) tree.get("rope_parameters")).put("attention_factor", 1.0);
            return tree;
        });
        try (PretrainedModel model = AutoModel.fromConfig(dir)) {
            assertEquals(List.of("future_switch", "rope_parameters.attention_factor"),
                    model.report().unknownConfigKeys());
            String notice = model.report().configNotice("config.json").orElseThrow();
            assertTrue(notice.contains("[future_switch, rope_parameters.attention_factor]") && !notice.contains("\n"),
                    notice);
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> AutoModel.fromConfig(dir, LoadOptions.defaults().strictConfig(true)));
        assertTrue(e.getMessage().contains("future_switch"), e.getMessage());
    }

    @Test
    void settingsThatChangeTheComputationAreRefusedByName() throws IOException {
        Path llama = Golden.fixture("tf5-llama").dir();
        List<UnaryOperator<ObjectNode>> edits = List.of(
                t -> with(t, "rope_parameters", JSON.createObjectNode().put("rope_type", "yarn").put("factor", 4)
                        .put("rope_theta", 1e4)),
                t -> with(t, "rope_parameters", ((ObjectNode) t.get("rope_parameters").deepCopy())
                        .put("partial_rotary_factor", 0.5)),
                t -> t.put("rope_theta", 10_000.0),
                t -> with(t, "quantization_config", JSON.createObjectNode().put("quant_method", "gptq")),
                t -> t.put("partial_rotary_factor", 0.25));
        List<String> named = List.of("yarn", "partial_rotary_factor", "disagree", "quantization_config",
                "partial_rotary_factor");
        for (int i = 0; i < edits.size(); i++) {
            Path dir = rewrite(llama, edits.get(i));
            ConfigException e = assertThrows(ConfigException.class, () -> AutoModel.fromConfig(dir));
            assertTrue(e.getMessage().contains(named.get(i)), e.getMessage());
        }
    }

    /** transformers 5's form: rope_parameters (per layer type where the model has several), layer_types. */
    private static ObjectNode to5x(ObjectNode tree) {
        ObjectNode full = JSON.createObjectNode();
        full.set("rope_theta", tree.remove("rope_theta"));
        JsonNode scaling = tree.remove("rope_scaling");
        if (scaling == null || scaling.isNull()) {
            full.put("rope_type", "default");
        } else {
            full.setAll((ObjectNode) scaling);
        }
        if (tree.has("rope_local_base_freq")) {
            ObjectNode sliding = JSON.createObjectNode().put("rope_type", "default");
            sliding.set("rope_theta", tree.remove("rope_local_base_freq"));
            ObjectNode perType = JSON.createObjectNode();
            perType.set(LayerWindows.FULL, full);
            perType.set(LayerWindows.SLIDING, sliding);
            tree.set("rope_parameters", perType);
            int pattern = tree.get("sliding_window_pattern").asInt();
            tree.put("_sliding_window_pattern", pattern); // 5.x writes it, and keeps a given sliding_window_pattern
            ArrayNode types = tree.putArray("layer_types");
            for (int i = 0; i < tree.get("num_hidden_layers").asInt(); i++) {
                types.add((i + 1) % pattern == 0 ? LayerWindows.FULL : LayerWindows.SLIDING);
            }
        } else {
            tree.set("rope_parameters", full);
        }
        return tree;
    }

    /** transformers 4.x's form: rope_theta and rope_scaling at the top. */
    private static ObjectNode to4x(ObjectNode tree) {
        ObjectNode scaling = (ObjectNode) tree.remove("rope_parameters");
        tree.set("rope_theta", scaling.remove("rope_theta"));
        tree.set("rope_scaling", scaling);
        tree.put("torch_dtype", tree.remove("dtype").asText());
        return tree;
    }

    private static ObjectNode with(ObjectNode tree, String key, JsonNode value) {
        tree.set(key, value);
        return tree;
    }

    /** A copy of the checkpoint whose config.json is edited; the weights are linked. */
    private Path rewrite(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
        Path out = Files.createTempDirectory(tmp, dir.getFileName().toString());
        ObjectNode tree = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("config.json").toFile(), edit.apply(tree));
        Files.createSymbolicLink(out.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return out;
    }

    private static NDArray logits(PretrainedModel model, JsonNode golden, NDManager manager) {
        JsonNode ids = golden.get("ids");
        long[] flat = longs(ids.get(0).isArray() ? ids.get(0) : ids);
        NDArray input = manager.create(flat, new Shape(1, flat.length));
        return model.block().forward(new ParameterStore(manager, false), new NDList(input), false).head();
    }

    private static void assertWithin(JsonNode golden, NDArray logits, String what) {
        JsonNode data = golden.get("data");
        float[] expected = new float[data.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) data.get(i).asDouble();
        }
        long[] shape = longs(golden.get("shape"));
        float diff = Golden.maxAbsDiff(logits.getManager().create(expected, new Shape(shape)), logits);
        assertTrue(diff <= TOL, what + " differs from HF by " + diff);
        System.out.printf("%s vs HF: max abs diff of the logits %.3g%n", what, diff);
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
