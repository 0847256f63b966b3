package dev.mhc.hf.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.mhc.core.io.InputFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a Hugging Face {@code config.json} and binds it to a config record.
 *
 * <p>Config records are plain Java records whose components, in camelCase, bind the snake_case
 * keys HF writes ({@code hiddenSize} from {@code hidden_size}). Keys the record does not model do
 * not fail the binding (HF configs carry dozens): a record keeps them in a {@code @JsonAnySetter
 * Map<String, Object> extra} component, which Jackson 2.18 fills through the record's constructor,
 * and {@link ConfigKeys} accounts for each of them after binding (inert, refused, or reported).
 * Binding is strict about types, so a config never loads with a silently truncated or coerced
 * value: {@code "12"} or {@code 12.5} is not an {@code int}, {@code 3} is not a {@code String},
 * and a primitive component must be present and non-null (make it a boxed type and default it in
 * the compact constructor to make it optional). Impossible values are the compact constructor's
 * to reject.
 */
public final class HfConfigs {

    public static final String CONFIG_FILE = "config.json";

    private static final int LISTED_ENTRIES = 20;

    /** The strict mapper every config read and override check goes through. */
    static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    // A number or boolean where a string belongs is a mistake, not a "3".
                    .withCoercionConfig(
                            LogicalType.Textual,
                            text ->
                                    text.setCoercion(
                                                    CoercionInputShape.Integer, CoercionAction.Fail)
                                            .setCoercion(
                                                    CoercionInputShape.Float, CoercionAction.Fail)
                                            .setCoercion(
                                                    CoercionInputShape.Boolean,
                                                    CoercionAction.Fail))
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    // Python's json.dump writes Infinity and NaN for float('inf') / float('nan').
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build();

    private HfConfigs() {}

    /** Reads {@code modelDir/config.json} as a JSON object, for overrides and dispatch. */
    public static ObjectNode readTree(Path modelDir) {
        Path file = configFile(modelDir);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(InputFiles.regular(file, "config.json").toFile());
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(
                    file
                            + " is not valid JSON: "
                            + e.getOriginalMessage()
                            + (at == null
                                    ? ""
                                    : " (line "
                                            + at.getLineNr()
                                            + ", column "
                                            + at.getColumnNr()
                                            + ")")
                            + "; fix the file or download it again",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(
                    file
                            + " holds "
                            + (tree == null ? "nothing" : "a JSON " + tree.getNodeType())
                            + "; expected a JSON object such as {\"model_type\": \"bert\", ...}");
        }
        return (ObjectNode) tree;
    }

    /** Reads {@code modelDir/config.json} and binds it to {@code configClass}. */
    public static <C> C read(Path modelDir, Class<C> configClass) {
        return bind(readTree(modelDir), configClass, configFile(modelDir).toString());
    }

    /**
     * Binds a config tree (from {@link #readTree}, perhaps overridden) to {@code configClass}.
     *
     * @param source where the tree came from, for error messages (a file path, "overrides of ...")
     */
    public static <C> C bind(JsonNode tree, Class<C> configClass, String source) {
        try {
            return MAPPER.treeToValue(tree, configClass);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String at = path(e);
            throw new ConfigException(
                    source
                            + ": invalid "
                            + configClass.getSimpleName()
                            + (at.isEmpty() ? "" : " at \"" + at + "\"")
                            + ": "
                            + cause.getMessage(),
                    e);
        } catch (MismatchedInputException e) {
            throw new ConfigException(mismatch(e, tree, configClass, source), e);
        } catch (JacksonException e) {
            throw new ConfigException(
                    source
                            + ": cannot be read as "
                            + configClass.getSimpleName()
                            + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    /** @return the {@code model_type} that selects the family; required, as HF requires it */
    public static String modelType(JsonNode tree, String source) {
        JsonNode type = tree.get("model_type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw new ConfigException(
                    source
                            + ": \"model_type\" is "
                            + (type == null ? "missing" : type.toString())
                            + "; expected a string naming the model family, e.g. \"bert\"");
        }
        return type.asText();
    }

    /** @return config.json's {@code architectures} list; empty when absent or null */
    public static List<String> architectures(JsonNode tree, String source) {
        JsonNode list = tree.get("architectures");
        if (list == null || list.isNull()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(n -> names.add(n.isTextual() ? n.asText() : null));
        }
        if (!list.isArray() || names.contains(null)) {
            throw new ConfigException(
                    source
                            + ": \"architectures\" is "
                            + list
                            + "; expected a list of class names, e.g. [\"BertModel\"]");
        }
        return List.copyOf(names);
    }

    private static Path configFile(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new ConfigException(
                    modelDir
                            + (Files.exists(modelDir) ? " is a file" : " does not exist")
                            + "; expected a model directory holding "
                            + CONFIG_FILE
                            + " (a Hugging Face checkpoint directory)");
        }
        Path file = modelDir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(
                    "no "
                            + CONFIG_FILE
                            + " in "
                            + modelDir
                            + " (it holds "
                            + listing(modelDir)
                            + "); expected a Hugging Face model directory, as written by"
                            + " save_pretrained or huggingface-cli download");
        }
        return file;
    }

    private static String listing(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names =
                    entries.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
                            .sorted()
                            .collect(Collectors.toList());
            if (names.isEmpty()) {
                return "nothing";
            }
            if (names.size() <= LISTED_ENTRIES) {
                return names.toString();
            }
            return names.subList(0, LISTED_ENTRIES)
                    + " and "
                    + (names.size() - LISTED_ENTRIES)
                    + " more";
        } catch (IOException e) {
            return "entries that cannot be listed: " + e.getMessage();
        }
    }

    /** Names the key, what it holds and the declared type, e.g. "hidden_size" is "big" ... int. */
    private static String mismatch(
            MismatchedInputException e, JsonNode tree, Class<?> configClass, String source) {
        String at = path(e);
        if (at.isEmpty()) {
            return source
                    + ": holds "
                    + tree.getNodeType()
                    + "; expected a JSON object for "
                    + configClass.getSimpleName();
        }
        JsonNode value = nodeAt(tree, e.getPath());
        String expected = expectedType(configClass, e);
        if (value == null || value.isMissingNode()) {
            return source
                    + ": \""
                    + at
                    + "\" is missing but "
                    + configClass.getSimpleName()
                    + " requires it ("
                    + expected
                    + "); add it";
        }
        return source
                + ": \""
                + at
                + "\" is "
                + value
                + " ("
                + kind(value)
                + ") but "
                + configClass.getSimpleName()
                + " expects "
                + expected
                + "; fix the value";
    }

    private static String expectedType(Class<?> configClass, MismatchedInputException e) {
        JavaType type = MAPPER.constructType(configClass);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null && ConfigFields.hasFields(type)) {
                type = ConfigFields.of(type).get(ref.getFieldName());
            } else if (type.isContainerType()) {
                type = type.getContentType();
            } else {
                type = null;
            }
            if (type == null) {
                Class<?> target = e.getTargetType();
                return target == null ? "another type" : target.getSimpleName();
            }
        }
        return ConfigFields.describe(type);
    }

    static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isIntegralNumber()) {
            return "an integer";
        }
        if (value.isNumber()) {
            return "a decimal number";
        }
        if (value.isNull()) {
            return "null";
        }
        String type = value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        return (value.isArray() || value.isObject() ? "an " : "a ") + type;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static JsonNode nodeAt(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : path) {
            node =
                    ref.getFieldName() != null
                            ? node.path(ref.getFieldName())
                            : node.path(ref.getIndex());
        }
        return node;
    }
}
