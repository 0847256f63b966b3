package dev.mhc.core.lora;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.adapter.ConfigFiles;
import dev.mhc.core.io.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PEFT's {@code adapter_config.json} for LoRA (peft 0.21), read and written as PEFT does. Every key
 * PEFT writes is accounted for: read into {@link LoraConfig}, inert here (with why), or refused
 * unless at PEFT's default because it changes the adapted computation in a way this library does not
 * implement. Keys PEFT 0.21 does not write are unknown: listed, and refused by a strict load.
 */
final class PeftAdapterConfig {

    /** What a file says: the settings, and the keys nobody read. */
    record Read(LoraConfig config, List<String> unknownKeys) {}

    static final String PEFT_VERSION = "0.21.0";

    private static final ObjectMapper JSON = ConfigFiles.JSON;

    /** The keys read into LoraConfig (or checked, as peft_type). */
    private static final Set<String> READ = Set.of("peft_type", "r", "lora_alpha", "lora_dropout", "target_modules",
            "use_rslora", "use_dora", "rank_pattern", "alpha_pattern", "exclude_modules", "layers_to_transform",
            "layers_pattern", "init_lora_weights", "modules_to_save");

    private static final String INIT_ONLY = "initialisation settings; a saved adapter's weights are in its file";

    /** Keys that change nothing a loaded adapter computes here, and why. */
    static final Map<String, String> INERT = Map.ofEntries(
            Map.entry("auto_mapping", "which Python classes PEFT builds"),
            Map.entry("base_model_name_or_path", "provenance"),
            Map.entry("revision", "provenance"),
            Map.entry("peft_version", "provenance"),
            Map.entry("inference_mode", "whether PEFT freezes the adapter"),
            Map.entry("task_type", "which PEFT model class wraps the base"),
            Map.entry("fan_in_fan_out", "PEFT sets it from the layer (true for Conv1D); the layer's own layout is"
                    + " used here"),
            Map.entry("megatron_core", "the Megatron module name, used only with megatron_config"),
            Map.entry("qalora_group_size", "used only with use_qalora"),
            Map.entry("loftq_config", INIT_ONLY),
            Map.entry("eva_config", INIT_ONLY),
            Map.entry("corda_config", INIT_ONLY),
            Map.entry("lora_ga_config", INIT_ONLY),
            Map.entry("velora_config", "a memory-saving backward pass; a loaded adapter computes plain LoRA"),
            Map.entry("monteclora_config", "noise on lora_A while training; a loaded adapter computes plain LoRA"));

    /** PEFT's default of a key (as JSON), and what another value would change. */
    record Default(String json, String otherwise) {}

    /** Keys refused unless at PEFT's default (or null or empty). */
    static final Map<String, Default> REFUSED_UNLESS_DEFAULT = Map.ofEntries(
            Map.entry("bias", new Default("\"none\"", "trained base biases (bias \"all\" or \"lora_only\") are not"
                    + " supported")),
            Map.entry("lora_bias", new Default("false", "a bias on lora_B is not supported")),
            Map.entry("use_qalora", new Default("false", "QALoRA (GPTQ group pooling) is not supported")),
            Map.entry("use_bdlora", new Default("null", "block-diagonal LoRA is not supported")),
            Map.entry("alora_invocation_tokens", new Default("null", "activated LoRA (aLoRA) is not supported")),
            Map.entry("arrow_config", new Default("null", "Arrow routing over several adapters is not supported")),
            Map.entry("kasa_config", new Default("null", "KaSA (SVD-truncated base weights) is not supported")),
            Map.entry("layer_replication", new Default("null", "replicated layers are not supported")),
            Map.entry("target_parameters", new Default("null", "LoRA on bare parameters (MoE experts) is not supported")),
            Map.entry("trainable_token_indices", new Default("null", "trainable token embeddings are not supported")),
            Map.entry("megatron_config", new Default("null", "Megatron parallel layers are not supported")),
            Map.entry("ensure_weight_tying", new Default("false", "tied adapters on tied embeddings are not supported")));

    /** init_lora_weights values that change the base weights when PEFT loads the adapter. */
    private static final Set<String> INIT_ACCEPTED = Set.of("true", "false", "\"gaussian\"", "\"eva\"",
            "\"orthogonal\"", "\"mica\"");

    private PeftAdapterConfig() {}

    static Read read(Path file) throws IOException {
        InputFiles.regular(file, "adapter config");
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IOException(file + " is not a valid adapter config: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IOException(file + " is not a valid adapter config: it holds "
                    + (tree == null ? "nothing" : "a JSON " + tree.getNodeType()) + ", not an object");
        }
        List<String> unknown = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Default rule = REFUSED_UNLESS_DEFAULT.get(e.getKey());
            if (rule != null) {
                JsonNode value = e.getValue();
                boolean isDefault = value.isNull() || value.toString().equals(rule.json())
                        || (value.isContainerNode() && value.isEmpty());
                if (!isDefault) {
                    refused.add(e.getKey() + " = " + value + ": " + rule.otherwise());
                }
            } else if (!READ.contains(e.getKey()) && !INERT.containsKey(e.getKey())) {
                unknown.add(e.getKey());
            }
        }
        String peftType = text(tree, "peft_type", file);
        if (peftType != null && !"LORA".equals(peftType)) {
            refused.add(0, "peft_type = \"" + peftType + "\": only LORA adapters are supported");
        }
        JsonNode init = tree.get("init_lora_weights");
        if (init != null && !init.isNull() && !INIT_ACCEPTED.contains(init.toString())) {
            refused.add("init_lora_weights = " + init + ": this initialisation changes the base weights, so the"
                    + " adapter is only right on the base PEFT changed; save it with PEFT's"
                    + " path_initial_model_for_weight_conversion to make a plain LoRA adapter");
        }
        if (!refused.isEmpty()) {
            throw new IOException(file + " uses PEFT options this library does not implement: "
                    + String.join("; ", refused));
        }
        try {
            return new Read(settings(tree, file), List.copyOf(unknown));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds invalid LoRA settings: " + e.getMessage(), e);
        }
    }

    private static LoraConfig settings(JsonNode tree, Path file) throws IOException {
        JsonNode targets = tree.get("target_modules");
        if (targets == null || targets.isNull()) {
            throw new IOException(file + " names no target_modules; give a list of module names or a path regex");
        }
        int r = integer(tree, "r", 8, file);
        double alpha = number(tree, "lora_alpha", 8, file);
        double dropout = number(tree, "lora_dropout", 0, file);
        LoraConfig config;
        if (targets.isTextual()) {
            config = LoraConfig.ALL_LINEAR.equalsIgnoreCase(targets.asText())
                    ? LoraConfig.of(r, alpha, dropout, List.of(LoraConfig.ALL_LINEAR))
                    : LoraConfig.ofRegex(r, alpha, dropout, targets.asText());
        } else {
            config = LoraConfig.of(r, alpha, dropout, strings(tree, "target_modules", file));
        }
        JsonNode exclude = tree.get("exclude_modules");
        return config.withRslora(bool(tree, "use_rslora", file))
                .withDora(bool(tree, "use_dora", file))
                .withPatterns(map(tree, "rank_pattern", new TypeReference<LinkedHashMap<String, Integer>>() {}, file),
                        map(tree, "alpha_pattern", new TypeReference<LinkedHashMap<String, Double>>() {}, file))
                .withExcluded(exclude != null && exclude.isArray() ? strings(tree, "exclude_modules", file) : null,
                        exclude != null && exclude.isTextual() ? exclude.asText() : null)
                .withLayers(integers(tree, "layers_to_transform", file), stringOrStrings(tree, "layers_pattern", file))
                .withModulesToSave(stringOrStrings(tree, "modules_to_save", file));
    }

    /**
     * The file as PEFT 0.21's {@code save_pretrained} writes it: every field, keys sorted; {@code
     * target_modules} as the adapted layers' paths when all-linear chose them (as PEFT records them).
     * Pattern maps keep their order (PEFT sorts them; here the first match wins as it did in training).
     */
    static byte[] write(LoraConfig config, List<String> adaptedPaths, boolean fanInFanOut) throws IOException {
        Map<String, Object> out = new TreeMap<>();
        for (String key : INERT.keySet()) {
            out.put(key, null);
        }
        for (Map.Entry<String, Default> e : REFUSED_UNLESS_DEFAULT.entrySet()) {
            out.put(e.getKey(), JSON.readValue(e.getValue().json(), Object.class));
        }
        out.put("peft_type", "LORA");
        out.put("peft_version", PEFT_VERSION);
        out.put("inference_mode", true);
        out.put("fan_in_fan_out", fanInFanOut);
        out.put("megatron_core", "megatron.core");
        out.put("qalora_group_size", 16);
        out.put("loftq_config", Map.of());
        out.put("init_lora_weights", true);
        out.put("r", config.r());
        out.put("lora_alpha", whole(config.loraAlpha()));
        out.put("lora_dropout", config.loraDropout());
        out.put("target_modules", config.allLinear() ? adaptedPaths
                : config.targetRegex() != null ? config.targetRegex() : config.targetModules());
        out.put("use_rslora", config.useRslora());
        out.put("use_dora", config.useDora());
        out.put("rank_pattern", config.rankPattern());
        Map<String, Object> alphas = new LinkedHashMap<>();
        config.alphaPattern().forEach((k, v) -> alphas.put(k, whole(v)));
        out.put("alpha_pattern", alphas);
        out.put("exclude_modules", config.excludeRegex() != null ? config.excludeRegex()
                : config.excludeModules().isEmpty() ? null : config.excludeModules());
        out.put("layers_to_transform", config.layersToTransform().isEmpty() ? null : config.layersToTransform());
        out.put("layers_pattern", config.layersPattern().isEmpty() ? null : config.layersPattern());
        out.put("modules_to_save", config.modulesToSave().isEmpty() ? null : config.modulesToSave());
        return JSON.writeValueAsBytes(out);
    }

    /** 8.0 as 8, as Python writes an int alpha. */
    private static Object whole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : value;
    }

    private static String text(JsonNode tree, String key, Path file) throws IOException {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IOException(file + ": " + key + " must be a string, got " + node);
        }
        return node.asText();
    }

    private static int integer(JsonNode tree, String key, int fallback, Path file) throws IOException {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IOException(file + ": " + key + " must be an integer, got " + node);
        }
        return node.intValue();
    }

    private static double number(JsonNode tree, String key, double fallback, Path file) throws IOException {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new IOException(file + ": " + key + " must be a number, got " + node);
        }
        return node.doubleValue();
    }

    private static boolean bool(JsonNode tree, String key, Path file) throws IOException {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IOException(file + ": " + key + " must be true or false, got " + node);
        }
        return node.booleanValue();
    }

    private static List<String> strings(JsonNode tree, String key, Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode item : tree.get(key)) {
            if (!item.isTextual()) {
                throw new IOException(file + ": " + key + " must list module names as strings, got " + item);
            }
            out.add(item.asText());
        }
        if (!tree.get(key).isArray()) {
            throw new IOException(file + ": " + key + " must be a list of module names or a path regex string, got "
                    + tree.get(key));
        }
        return out;
    }

    private static List<String> stringOrStrings(JsonNode tree, String key, Path file) throws IOException {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? List.of(node.asText()) : strings(tree, key, file);
    }

    private static List<Integer> integers(JsonNode tree, String key, Path file) throws IOException {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return List.of(node.intValue());
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isIntegralNumber() || !item.canConvertToInt()) {
                throw new IOException(file + ": " + key + " must be a layer index or a list of them, got " + node);
            }
            out.add(item.intValue());
        }
        if (!node.isArray()) {
            throw new IOException(file + ": " + key + " must be a layer index or a list of them, got " + node);
        }
        return out;
    }

    private static <T> T map(JsonNode tree, String key, TypeReference<T> type, Path file) throws IOException {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return JSON.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + key + " must map module patterns to numbers, got " + node, e);
        }
    }
}
