package dev.mhc.hf.rotary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.config.ConfigException;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The config switches of the rotary decoders, checked against HF: each fixture's golden.json says
 * how far HF's logits move when one setting changes (the mistake it would be to ignore it); the
 * same change here must move ours as far. Then config.json as older and newer transformers write it.
 */
class RotaryConfigTest {

    @TempDir Path tmp;

    static Stream<Arguments> changes() {
        Map<String, Object> allSliding = Map.of("model.use_sliding_window", true,
                "model.layer_types", List.of(LayerWindows.SLIDING, LayerWindows.SLIDING, LayerWindows.SLIDING));
        return Stream.of(
                Arguments.of("llama-tiny", "rms_norm_eps=1e-6 (HF default)", Map.of("model.rms_norm_eps", 1e-6)),
                Arguments.of("llama-tiny", "rope_theta=1e4 (HF default)", Map.of("model.rope_theta", 1e4)),
                Arguments.of("llama-tiny-llama3-rope", "rope_scaling=null",
                        Map.of("model.rope_scaling.rope_type", "default")),
                Arguments.of("llama-tiny-llama3-rope", "rope_theta=1e4 (HF default)", Map.of("model.rope_theta", 1e4)),
                Arguments.of("qwen2-tiny", "rope_theta=1e4 (HF default)", Map.of("model.rope_theta", 1e4)),
                Arguments.of("qwen2-tiny", "sliding_window 8 applied on every layer", allSliding),
                Arguments.of("qwen2-tiny", "q/k/v biases dropped", Map.of()),
                Arguments.of("qwen3-tiny", "rms_norm_eps=1e-6 (HF default)", Map.of("model.rms_norm_eps", 1e-6)),
                Arguments.of("qwen3-tiny", "rope_theta=1e4 (HF default)", Map.of("model.rope_theta", 1e4)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("changes")
    void aChangedSettingMovesTheLogitsAsFarAsInHuggingFace(String fixture, String change, Map<String, Object> overrides)
            throws IOException {
        Golden golden = Golden.fixture(fixture);
        double expected = new ObjectMapper().readTree(golden.dir().resolve("golden.json").toFile())
                .get("self_checks").get("max_abs_logits_change_if_config_differs").get(change).asDouble();
        Consumer<PretrainedModel> edit = change.startsWith("q/k/v biases")
                ? model -> ModuleTree.parameters(model.block()).forEach((key, p) -> {
                    if (key.endsWith("_proj.bias")) {
                        Weights.assign(p.getArray(), new float[(int) p.getArray().size()]);
                    }
                })
                : model -> {};
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir(), LoadOptions.defaults().overrides(overrides));
                NDManager manager = NDManager.newBaseManager()) {
            edit.accept(model);
            NDArray logits = model.block().forward(new ParameterStore(manager, false),
                    new NDList(golden.input("input_ids", manager)), false).head();
            float moved = Golden.maxAbsDiff(golden.output("logits", manager), logits);
            assertEquals(expected, moved, 2e-5, fixture + " with " + change);
        }
    }

    @Test
    void qwenWindowsOnlyWhenUseSlidingWindowIsTrue() {
        List<String> types = List.of(LayerWindows.FULL, LayerWindows.SLIDING, LayerWindows.SLIDING);
        assertEquals(List.of(0, 0, 0), LayerWindows.qwen(types, 3, false, 8, 1));
        assertEquals(List.of(0, 8, 8), LayerWindows.qwen(types, 3, true, 8, 0));
        assertEquals(List.of(0, 0, 8), LayerWindows.qwen(null, 3, true, 8, 2), "without layer_types: i >= max_window_layers");
        assertEquals(List.of(0, 0, 0), LayerWindows.qwen(null, 3, true, null, 0), "no sliding_window: no window");
    }

    @Test
    void configsAsOlderAndNewerTransformersWriteThem() throws IOException {
        String base = "{\"model_type\": \"llama\", \"hidden_size\": 32, \"num_attention_heads\": 4,"
                + " \"num_hidden_layers\": 1, \"intermediate_size\": 64, \"vocab_size\": 50";
        for (String dtype : new String[] {"\"torch_dtype\": \"bfloat16\"", "\"dtype\": \"float32\""}) {
            Path dir = Files.createDirectories(tmp.resolve(dtype.substring(1, 4)));
            Files.writeString(dir.resolve("config.json"), base + ", " + dtype + "}");
            try (PretrainedModel model = AutoModel.fromConfig(dir)) {
                AttentionSpec attention = ((RotaryAttention) ModuleTree.get(model.block(), "layers.0.self_attn")).spec();
                assertEquals(4, attention.kvHeads(), "num_key_value_heads defaults to the heads");
                assertEquals(8, attention.headDim(), "head_dim defaults to hidden / heads");
                assertEquals("LlamaModel", model.architecture(), "architectures absent: the base model, as AutoModel");
            }
        }
        Path yarn = Files.createDirectories(tmp.resolve("yarn"));
        Files.writeString(yarn.resolve("config.json"), base + ", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}}");
        ConfigException e = assertThrows(ConfigException.class,
                () -> AutoModel.fromConfig(yarn));
        assertTrue(e.getMessage().contains("yarn") && e.getMessage().contains("\"llama3\""), e.getMessage());
        Path odd = Files.createDirectories(tmp.resolve("odd"));
        Files.writeString(odd.resolve("config.json"), base + ", \"num_key_value_heads\": 3}");
        ConfigException groups = assertThrows(ConfigException.class,
                () -> AutoModel.fromConfig(odd));
        assertTrue(groups.getMessage().contains("not a multiple of num_key_value_heads 3"), groups.getMessage());
    }

    @Test
    void qwen2AndQwen3DifferAsInHuggingFace() throws IOException {
        String base = "\"hidden_size\": 64, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
                + " \"num_hidden_layers\": 1, \"intermediate_size\": 96, \"vocab_size\": 50}";
        Map<String, Object> keys = new java.util.TreeMap<>();
        for (String type : new String[] {"qwen2", "qwen3"}) {
            Path dir = Files.createDirectories(tmp.resolve(type));
            Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"" + type + "\", " + base);
            try (PretrainedModel model = AutoModel.fromConfig(dir)) {
                ModuleTree.parameters(model.block()).forEach((k, p) -> keys.put(type + ":" + k, p.getShape()));
            }
        }
        assertTrue(keys.containsKey("qwen2:layers.0.self_attn.q_proj.bias"), "Qwen2: q/k/v biases");
        assertTrue(!keys.containsKey("qwen2:layers.0.self_attn.o_proj.bias"), "Qwen2: no o_proj bias");
        assertTrue(!keys.containsKey("qwen2:layers.0.self_attn.q_norm.weight"), "Qwen2: no q/k norm");
        assertEquals(new ai.djl.ndarray.types.Shape(64, 64), keys.get("qwen2:layers.0.self_attn.q_proj.weight"),
                "Qwen2: head_dim = hidden / heads");
        assertTrue(keys.containsKey("qwen3:layers.0.self_attn.q_norm.weight"), "Qwen3: q/k norm");
        assertTrue(!keys.containsKey("qwen3:layers.0.self_attn.q_proj.bias"), "Qwen3: attention_bias false");
        assertEquals(new ai.djl.ndarray.types.Shape(512, 64), keys.get("qwen3:layers.0.self_attn.q_proj.weight"),
                "Qwen3: head_dim 128 by default");
    }
}
