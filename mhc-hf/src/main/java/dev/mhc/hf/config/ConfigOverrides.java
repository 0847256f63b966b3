package dev.mhc.hf.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Declarative changes to a model config ({@code model_overrides}), so an architecture can be
 * varied (fewer layers, another width) without a new config.json.
 *
 * <p>Keys start with {@code model.} and name config.json keys, flat ({@code
 * "model.num_hidden_layers": 2}) or nested ({@code {"model": {"num_hidden_layers": 2}}}); deeper
 * keys reach into nested config objects ({@code model.rope_scaling.factor}). A nested map is
 * flattened, so it sets the keys it names and keeps the others. Overrides are applied to the
 * config.json tree before binding, so the record's own validation sees the overridden values.
 * Every key is checked against the config class before anything is applied, and all problems are
 * reported at once.
 */
public final class ConfigOverrides {

    public static final String PREFIX = "model.";

    private static final ConfigOverrides NONE = new ConfigOverrides(Map.of());
    private static final int NEAREST = 3;

    private final Map<String, Object> overrides;

    private ConfigOverrides(Map<String, Object> overrides) {
        this.overrides = Collections.unmodifiableMap(overrides);
    }

    public static ConfigOverrides none() {
        return NONE;
    }

    /** Flattens and checks the prefix of every key; field names are checked when applied. */
    public static ConfigOverrides of(Map<String, ?> modelOverrides) {
        Map<String, Object> flat = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        flatten("", modelOverrides, flat, duplicates);
        if (!duplicates.isEmpty()) {
            throw new ConfigException(
                    "override keys given twice (flat and nested): "
                            + duplicates
                            + "; keep one of each");
        }
        List<String> invalid = new ArrayList<>();
        for (String key : flat.keySet()) {
            if (!key.startsWith(PREFIX) || List.of(key.split("\\.", -1)).contains("")) {
                invalid.add(key);
            }
        }
        if (!invalid.isEmpty()) {
            throw new ConfigException(
                    "Invalid override keys detected: "
                            + invalid
                            + "; every key must start with \""
                            + PREFIX
                            + "\" followed by a config.json key, flat (model.n_layers: 8)"
                            + " or nested (model: {n_layers: 8})");
        }
        return flat.isEmpty() ? NONE : new ConfigOverrides(flat);
    }

    /**
     * Reads overrides from a YAML ({@code .yaml}, {@code .yml}) or JSON file: either the map of
     * overrides itself or an object whose only key is {@code model_overrides}.
     */
    public static ConfigOverrides fromFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper reader;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            reader = new YAMLMapper();
        } else if (name.endsWith(".json")) {
            reader = HfConfigs.MAPPER;
        } else {
            throw new ConfigException(
                    "cannot tell the format of " + file + "; expected a .yaml, .yml or .json file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("override file " + file + " does not exist or is not a file");
        }
        JsonNode root;
        try {
            root = reader.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ConfigException(
                    "cannot parse " + file + ": " + e.getOriginalMessage() + "; fix its syntax", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root != null && root.size() == 1 && root.has("model_overrides")) {
            root = root.get("model_overrides");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return NONE;
        }
        if (!root.isObject()) {
            throw new ConfigException(
                    file
                            + " holds "
                            + HfConfigs.kind(root)
                            + "; expected a map of overrides such"
                            + " as {model.num_hidden_layers: 2}");
        }
        return of(reader.convertValue(root, new TypeReference<Map<String, Object>>() {}));
    }

    /** @return the overrides with flat {@code model.} keys, in the order given */
    public Map<String, Object> asMap() {
        return overrides;
    }

    public boolean isEmpty() {
        return overrides.isEmpty();
    }

    /**
     * Checks every key and value against {@code configClass}, then returns a copy of the tree with
     * the overrides applied; the input tree is left unchanged.
     */
    public ObjectNode applyTo(JsonNode configTree, Class<?> configClass) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> override : overrides.entrySet()) {
            check(override.getKey(), override.getValue(), configClass, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(
                    "model_overrides do not fit "
                            + configClass.getSimpleName()
                            + ":\n  "
                            + String.join("\n  ", problems));
        }
        ObjectNode tree = configTree.deepCopy();
        overrides.forEach((key, value) -> set(tree, key, value));
        return tree;
    }

    /** Applies the overrides to the tree and binds the result, as {@link HfConfigs#bind} does. */
    public <C> C bind(JsonNode configTree, Class<C> configClass, String source) {
        return HfConfigs.bind(isEmpty() ? configTree : applyTo(configTree, configClass), configClass,
                describe(source));
    }

    /** @return {@code source} as errors name a config with these overrides applied */
    public String describe(String source) {
        return isEmpty() ? source : source + " with model_overrides " + overrides.keySet();
    }

    @Override
    public String toString() {
        return "ConfigOverrides" + overrides;
    }

    private static void flatten(
            String prefix, Map<?, ?> map, Map<String, Object> flat, List<String> duplicates) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                flatten(key + ".", nested, flat, duplicates);
            } else if (flat.containsKey(key)) {
                duplicates.add(key);
            } else {
                flat.put(key, entry.getValue());
            }
        }
    }

    /** Walks the key's path through the config's declared types, then test-binds the value. */
    private static void check(
            String key, Object value, Class<?> configClass, List<String> problems) {
        String[] names = key.substring(PREFIX.length()).split("\\.");
        JavaType type = HfConfigs.MAPPER.constructType(configClass);
        for (int i = 0; i < names.length; i++) {
            if (ConfigFields.isOpen(type)) {
                return;
            }
            String owner = i == 0 ? configClass.getSimpleName() : "\"" + names[i - 1] + "\"";
            if (ConfigFields.hasFields(type)) {
                Map<String, JavaType> fields = ConfigFields.of(type);
                type = fields.get(names[i]);
                if (type == null) {
                    problems.add(
                            "\""
                                    + key
                                    + "\": "
                                    + owner
                                    + " has no field \""
                                    + names[i]
                                    + "\"; nearest: "
                                    + ConfigFields.nearest(names[i], fields.keySet(), NEAREST)
                                    + " (keys are spelled as in config.json, snake_case)");
                    return;
                }
            } else if (type.isMapLikeType()) {
                type = type.getContentType();
            } else {
                problems.add(
                        "\""
                                + key
                                + "\": "
                                + owner
                                + " is "
                                + ConfigFields.describe(type)
                                + ", which has no field \""
                                + names[i]
                                + "\"; override "
                                + PREFIX
                                + String.join(".", List.of(names).subList(0, i))
                                + " itself");
                return;
            }
        }
        JsonNode node = HfConfigs.MAPPER.valueToTree(value);
        try {
            HfConfigs.MAPPER.treeToValue(node, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            problems.add("\"" + key + "\" = " + node + " is invalid: " + cause.getMessage());
        } catch (JacksonException | IllegalArgumentException e) {
            problems.add(
                    "\""
                            + key
                            + "\" = "
                            + node
                            + " ("
                            + HfConfigs.kind(node)
                            + ") but the field is "
                            + ConfigFields.describe(type)
                            + "; give a value of that type");
        }
    }

    private static void set(ObjectNode tree, String key, Object value) {
        String[] names = key.substring(PREFIX.length()).split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode child = node.get(names[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(names[i]);
        }
        node.set(names[names.length - 1], HfConfigs.MAPPER.valueToTree(value));
    }
}
