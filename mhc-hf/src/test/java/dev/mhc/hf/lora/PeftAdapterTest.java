package dev.mhc.hf.lora;

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
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.lora.LoraLinear;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adapters saved by PEFT 0.21 with its options (rsLoRA, DoRA) on a Qwen3 saved by transformers 5.18,
 * against the logits PEFT computed; the options PEFT documents but the fixtures do not hold (rank and
 * alpha patterns, all-linear, exclusions, layer indices) against PEFT's formulas; every option this
 * library does not implement refused by name.
 */
class PeftAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float TOL = 1e-5f;
    private static final Path FIXTURES = Golden.fixture("peft-options/base").dir().getParent();
    private static final Path BASE = FIXTURES.resolve("base");

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"rslora", "dora"})
    void anAdapterSavedByPeftComputesWhatPeftComputed(String option) throws IOException {
        Path adapter = FIXTURES.resolve(option);
        try (PretrainedModel model = AutoModel.fromPretrained(BASE); NDManager manager = NDManager.newBaseManager()) {
            assertEquals(List.of(), Lora.unknownConfigKeys(adapter), "every key PEFT 0.21 writes is known");
            Lora.load(model.block(), adapter, true);
            float diff = diff(adapter, logits(model, adapter, manager));
            assertTrue(diff <= TOL, option + " differs from PEFT by " + diff);
            System.out.printf("PEFT %s adapter vs PEFT: max abs diff of the logits %.3g%n", option, diff);

            Lora.merge(model.block());
            float merged = diff(adapter, logits(model, adapter, manager));
            assertTrue(merged <= TOL, option + " merged differs from PEFT by " + merged);
            System.out.printf("PEFT %s adapter merged vs PEFT: max abs diff of the logits %.3g%n", option, merged);
            Lora.unmerge(model.block());
            assertTrue(diff(adapter, logits(model, adapter, manager)) <= TOL, option + " after unmerging");
            Lora.remove(model.block());
            try (PretrainedModel plain = AutoModel.fromPretrained(BASE)) {
                float restored = Golden.maxAbsDiff(logits(plain, adapter, manager), logits(model, adapter, manager));
                assertTrue(restored <= 1e-5f, "removal after merge and unmerge restores the base, off by " + restored);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rslora", "dora"})
    void aSaveCarriesPeftsKeysAndComputesTheSame(String option) throws IOException {
        Path adapter = FIXTURES.resolve(option);
        Path saved = tmp.resolve(option);
        try (PretrainedModel model = AutoModel.fromPretrained(BASE)) {
            Lora.load(model.block(), adapter);
            Lora.save(model.block(), saved);
        }
        JsonNode peft = JSON.readTree(adapter.resolve("adapter_config.json").toFile());
        JsonNode ours = JSON.readTree(saved.resolve("adapter_config.json").toFile());
        assertEquals(keys(peft), keys(ours), "the keys PEFT 0.21 writes");
        for (String key : List.of("r", "lora_alpha", "use_rslora", "use_dora", "bias", "peft_type", "lora_dropout",
                "rank_pattern", "alpha_pattern", "init_lora_weights", "fan_in_fan_out")) {
            assertEquals(peft.get(key), ours.get(key), key);
        }
        assertEquals(new TreeSet<>(List.of("q_proj", "v_proj")), textSet(ours.get("target_modules")));
        try (SafetensorsFile a = SafetensorsFile.open(adapter.resolve("adapter_model.safetensors"));
                SafetensorsFile b = SafetensorsFile.open(saved.resolve("adapter_model.safetensors"))) {
            assertEquals(new TreeSet<>(a.names()), new TreeSet<>(b.names()), "PEFT's weight keys");
        }
        try (PretrainedModel model = AutoModel.fromPretrained(BASE); NDManager manager = NDManager.newBaseManager()) {
            Lora.load(model.block(), saved, true);
            assertTrue(diff(adapter, logits(model, adapter, manager)) <= TOL, "reloaded " + option);
        }
    }

    @Test
    void anAlphaPatternScalesItsLayersAsPeftsFormulaSays() throws IOException {
        // rsLoRA r 16: scale = alpha / 4. alpha_pattern {v_proj: 24} scales v_proj by 6 instead of 2, which is
        // the plain adapter with v_proj's lora_B times 3.
        Path patterned = edited("rslora", c -> c.putObject("alpha_pattern").put("v_proj", 24), w -> {});
        Path scaled = edited("rslora", c -> {}, w -> w.replaceAll((k, v) ->
                k.contains("v_proj.lora_B") ? v.mul(3) : v));
        assertEquals(0, compare(patterned, scaled), 1e-5);
    }

    @Test
    void aRankPatternGivesItsLayersTheirRank() throws IOException {
        // v_proj at rank 4 with rsLoRA: scale alpha / 2 instead of alpha / 4; the same as rank 16 with the
        // first 4 components kept, the rest zero, and lora_B doubled.
        Path patterned = edited("rslora", c -> c.putObject("rank_pattern").put("v_proj", 4), w -> w.replaceAll((k, v) ->
                k.contains("v_proj.lora_A") ? v.get("0:4, :") : k.contains("v_proj.lora_B") ? v.get(":, 0:4") : v));
        Path padded = edited("rslora", c -> {}, w -> w.replaceAll((k, v) -> {
            if (!k.contains("v_proj")) {
                return v;
            }
            NDArray keep = v.zerosLike();
            if (k.contains("lora_A")) {
                keep.set(new ai.djl.ndarray.index.NDIndex("0:4, :"), v.get("0:4, :"));
                return keep;
            }
            keep.set(new ai.djl.ndarray.index.NDIndex(":, 0:4"), v.get(":, 0:4").mul(2));
            return keep;
        }));
        try (PretrainedModel model = AutoModel.fromPretrained(BASE)) {
            Lora.load(model.block(), patterned);
            for (LoraLinear layer : Lora.layers(model.block())) {
                assertEquals(layer.path().endsWith("v_proj") ? 4 : 16, layer.rank(), layer.path());
            }
        }
        assertEquals(0, compare(patterned, padded), 1e-5);
    }

    @Test
    void allLinearExclusionsAndLayerIndicesSelectAsPeft() throws IOException {
        try (PretrainedModel model = AutoModel.fromPretrained(BASE)) {
            List<String> all = paths(model, LoraConfig.of(4, 8, 0, List.of(LoraConfig.ALL_LINEAR)));
            assertEquals(21, all.size(), "3 layers x (q, k, v, o, gate, up, down); not lm_head: " + all);
            assertTrue(all.stream().noneMatch(p -> p.contains("lm_head")), all.toString());
            assertEquals(List.of("model.layers.1.self_attn.q_proj", "model.layers.2.self_attn.q_proj"),
                    paths(model, LoraConfig.of(4, 8, 0, List.of("q_proj", "k_proj"))
                            .withExcluded(List.of("k_proj"), null).withLayers(List.of(1, 2), null)));
            assertEquals(List.of("model.layers.0.mlp.down_proj"),
                    paths(model, LoraConfig.of(4, 8, 0, List.of("down_proj")).withLayers(List.of(0), List.of("layers"))));
            assertEquals(21 - 3 - 3, paths(model, LoraConfig.of(4, 8, 0, List.of(LoraConfig.ALL_LINEAR))
                    .withExcluded(null, ".*\\.o_proj|.*layers\\.0\\.mlp\\..*")).size());
        }
    }

    @Test
    void modulesToSaveTrainWholeAndSaveUnderPeftsKeys() throws IOException {
        Path llama = Golden.fixture("tf5-llama").dir(); // an untied lm_head
        Path saved = tmp.resolve("saved");
        LoraConfig config = LoraConfig.of(4, 8, 0, List.of("q_proj")).withModulesToSave(List.of("lm_head"));
        try (PretrainedModel model = AutoModel.fromPretrained(llama); NDManager manager = NDManager.newBaseManager()) {
            NDArray before = logits(model, FIXTURES.resolve("rslora"), manager);
            Lora.inject(model.block(), config);
            assertEquals(List.of("lm_head"), Lora.modulesToSave(model.block()).stream().map(m -> m.path()).toList());
            assertTrue(Lora.layers(model.block()).stream().noneMatch(l -> l.path().contains("lm_head")));
            ai.djl.nn.Parameter head = Lora.parameters(model.block()).get("lm_head.weight");
            assertTrue(head != null && head.requiresGradient(), "the head trains with the adapters");
            head.getArray().muli(2);
            NDArray changed = logits(model, FIXTURES.resolve("rslora"), manager);
            Lora.save(model.block(), saved);
            Lora.remove(model.block());
            assertEquals(0, Golden.maxAbsDiff(before, logits(model, FIXTURES.resolve("rslora"), manager)), 0,
                    "removal puts the original head back");
            try (PretrainedModel fresh = AutoModel.fromPretrained(llama)) {
                Lora.load(fresh.block(), saved, true);
                assertEquals(0, Golden.maxAbsDiff(changed, logits(fresh, FIXTURES.resolve("rslora"), manager)), 1e-6);
            }
        }
        try (SafetensorsFile weights = SafetensorsFile.open(saved.resolve("adapter_model.safetensors"))) {
            assertTrue(weights.names().contains("base_model.model.lm_head.weight"), "PEFT's key: " + weights.names());
        }
        assertEquals(List.of("lm_head"), textList(JSON.readTree(saved.resolve("adapter_config.json").toFile())
                .get("modules_to_save")));
        try (PretrainedModel tied = AutoModel.fromPretrained(BASE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Lora.inject(tied.block(), config));
            assertTrue(e.getMessage().contains("model.embed_tokens.weight"), e.getMessage());
            assertTrue(Lora.layers(tied.block()).isEmpty(), "a refused injection leaves the model as it was");
        }
    }

    @Test
    void optionsNotImplementedAreRefusedByName() throws IOException {
        Map<String, Consumer<ObjectNode>> options = new LinkedHashMap<>();
        options.put("bias", c -> c.put("bias", "all"));
        options.put("use_qalora", c -> c.put("use_qalora", true));
        options.put("target_parameters", c -> c.putArray("target_parameters").add("mlp.experts.gate_up_proj"));
        options.put("trainable_token_indices", c -> c.putArray("trainable_token_indices").add(3));
        options.put("init_lora_weights", c -> c.put("init_lora_weights", "pissa"));
        options.put("peft_type", c -> c.put("peft_type", "LOHA"));
        options.put("lora_bias", c -> c.put("lora_bias", true));
        for (Map.Entry<String, Consumer<ObjectNode>> option : options.entrySet()) {
            Path dir = edited("rslora", option.getValue(), w -> {});
            try (PretrainedModel model = AutoModel.fromPretrained(BASE)) {
                IOException e = assertThrows(IOException.class, () -> Lora.load(model.block(), dir));
                assertTrue(e.getMessage().contains(option.getKey()) && !e.getMessage().contains("\n"), e.getMessage());
                assertTrue(Lora.layers(model.block()).isEmpty(), "a refused load leaves the model as it was");
            }
        }
    }

    @Test
    void targetsThatAreNotProjectionsAreRefusedByName() throws IOException {
        Path embeddings = edited("rslora", c -> c.putArray("target_modules").add("q_proj").add("embed_tokens"), w -> {});
        try (PretrainedModel model = AutoModel.fromPretrained(BASE)) {
            IllegalArgumentException inject = assertThrows(IllegalArgumentException.class,
                    () -> Lora.inject(model.block(), LoraConfig.of(4, 8, 0, List.of("embed_tokens"))));
            assertTrue(inject.getMessage().contains("\"model.embed_tokens\"")
                    && inject.getMessage().contains("embeddings"), inject.getMessage());
            IllegalArgumentException load = assertThrows(IllegalArgumentException.class,
                    () -> Lora.load(model.block(), embeddings));
            assertTrue(load.getMessage().contains("model.embed_tokens") && load.getMessage().contains("embeddings"),
                    load.getMessage());
            assertTrue(Lora.layers(model.block()).isEmpty(), "a refused load leaves the model as it was");
        }
    }

    @Test
    void anUnknownKeyIsListedAndRefusedByAStrictLoad() throws IOException {
        Path dir = edited("rslora", c -> c.put("use_future_variant", false), w -> {});
        assertEquals(List.of("use_future_variant"), Lora.unknownConfigKeys(dir));
        try (PretrainedModel model = AutoModel.fromPretrained(BASE)) {
            IOException e = assertThrows(IOException.class, () -> Lora.load(model.block(), dir, true));
            assertTrue(e.getMessage().contains("use_future_variant"), e.getMessage());
            Lora.load(model.block(), dir);
        }
    }

    private static List<String> paths(PretrainedModel model, LoraConfig config) {
        List<String> paths = Lora.inject(model.block(), config).stream().map(LoraLinear::path).toList();
        Lora.remove(model.block());
        ModuleTree.parameters(model.block()).values().forEach(p -> p.freeze(false));
        return paths;
    }

    /** A copy of a fixture adapter with its config and weights edited. */
    private Path edited(String option, Consumer<ObjectNode> config, Consumer<Map<String, NDArray>> weights)
            throws IOException {
        Path source = FIXTURES.resolve(option);
        Path out = Files.createTempDirectory(tmp, option);
        ObjectNode tree = (ObjectNode) JSON.readTree(source.resolve("adapter_config.json").toFile());
        config.accept(tree);
        JSON.writeValue(out.resolve("adapter_config.json").toFile(), tree);
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsFile file = SafetensorsFile.open(source.resolve("adapter_model.safetensors"))) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : file.names()) {
                tensors.put(name, manager.create(file.readFloats(name), new Shape(file.info(name).shape())));
            }
            weights.accept(tensors);
            SafetensorsWriter.write(out.resolve("adapter_model.safetensors"), tensors, Map.of("format", "pt"));
        }
        return out;
    }

    /** Max |logits of adapter a - logits of adapter b| on the base. */
    private double compare(Path a, Path b) throws IOException {
        try (PretrainedModel first = AutoModel.fromPretrained(BASE); PretrainedModel second = AutoModel.fromPretrained(BASE);
                NDManager manager = NDManager.newBaseManager()) {
            Lora.load(first.block(), a);
            Lora.load(second.block(), b);
            Path ids = FIXTURES.resolve("rslora");
            return Golden.maxAbsDiff(logits(first, ids, manager), logits(second, ids, manager));
        }
    }

    private static NDArray logits(PretrainedModel model, Path adapter, NDManager manager) throws IOException {
        JsonNode ids = JSON.readTree(adapter.resolve("golden.json").toFile()).get("ids");
        long[] flat = new long[ids.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = ids.get(i).asLong();
        }
        return model.block().forward(new ParameterStore(manager, false),
                new NDList(manager.create(flat, new Shape(1, flat.length))), false).head();
    }

    private static float diff(Path adapter, NDArray logits) throws IOException {
        JsonNode golden = JSON.readTree(adapter.resolve("golden.json").toFile());
        float[] expected = new float[golden.get("data").size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) golden.get("data").get(i).asDouble();
        }
        long[] shape = new long[golden.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = golden.get("shape").get(i).asLong();
        }
        return Golden.maxAbsDiff(logits.getManager().create(expected, new Shape(shape)), logits);
    }

    private static TreeSet<String> keys(JsonNode node) {
        TreeSet<String> keys = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    private static List<String> textList(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static TreeSet<String> textSet(JsonNode array) {
        TreeSet<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
