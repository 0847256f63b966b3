package dev.mhc.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.core.JsonLocation;
import dev.mhc.core.io.InputFiles;
import dev.mhc.core.text.Suggestions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a run config strictly and writes resolved ones. Every refusal is one line: the file, the
 * key's path, what was wrong, and (for an unknown key) the nearest valid key and all valid keys.
 */
public final class RunConfigFiles {

    /** Written beside a run's outputs: the run with every default filled in and the commit. */
    public static final String RESOLVED = "resolved_config.yaml";

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private RunConfigFiles() {}

    /** @return the file's tree, to lay command-line values over before {@link #bind} */
    public static ObjectNode readTree(Path file) throws IOException {
        InputFiles.regular(file, "run config");
        JsonNode tree;
        try {
            refuseAnchors(file);
            tree = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid YAML" + at(e) + ": " + problem(e.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return YAML.createObjectNode();
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException(file + " must be a mapping of sections (model, mhc, lora, data,"
                    + " training, out), got " + tree);
        }
        return object;
    }

    /**
     * YAML anchors and aliases ({@code &name}, {@code *name}) would be read as the alias's name, not
     * the value it stands for: refused, saying where.
     */
    private static void refuseAnchors(Path file) throws IOException {
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            while (parser.nextToken() != null) {
                if (parser.isCurrentAlias() || parser.getObjectId() != null) {
                    JsonLocation at = parser.currentTokenLocation();
                    throw new IllegalArgumentException(file + " line " + at.getLineNr() + ", column " + at.getColumnNr()
                            + ": YAML anchors and aliases (&name, *name) are not read in run configs; write the value"
                            + " out where it is used");
                }
            }
        }
    }

    /** @return the run {@code tree} describes; {@code source} names it in errors */
    public static RunConfig bind(JsonNode tree, String source) {
        try {
            return YAML.treeToValue(tree, RunConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + describe(e, tree));
        }
    }

    /** @return the run as {@code resolved_config.yaml} holds it */
    public static byte[] resolvedYaml(RunConfig run) throws IOException {
        return YAML.writeValueAsString(run).getBytes(StandardCharsets.UTF_8);
    }

    /** @return a tree with no sections, for a run given by flags alone */
    public static ObjectNode emptyTree() {
        return YAML.createObjectNode();
    }

    /** Adds {@code model.KEY: value} to the tree's {@code model.model_overrides}. */
    public static void setOverride(ObjectNode tree, String key, Object value) {
        ObjectNode model = tree.get("model") instanceof ObjectNode m ? m : tree.putObject("model");
        ObjectNode overrides = model.get("model_overrides") instanceof ObjectNode o ? o : model.putObject("model_overrides");
        overrides.set(key, YAML.valueToTree(value));
    }

    /** Adds a patch to the tree's {@code model.patches}; one the file names already takes the flag's options over its own. */
    public static void addPatch(ObjectNode tree, String name, Map<String, Object> options) {
        ObjectNode model = tree.get("model") instanceof ObjectNode m ? m : tree.putObject("model");
        ArrayNode patches = model.get("patches") instanceof ArrayNode a ? a : model.putArray("patches");
        for (JsonNode existing : patches) {
            if (existing instanceof ObjectNode file && name.equals(file.path("name").asText(null))) {
                // the file's patch of the same name, with the flag's options laid over its own
                ObjectNode merged = file.get("options") instanceof ObjectNode o ? o : file.putObject("options");
                merged.setAll((ObjectNode) YAML.valueToTree(options));
                return;
            }
        }
        ObjectNode patch = patches.addObject();
        patch.put("name", name);
        patch.set("options", YAML.valueToTree(options));
    }

    /** Sets {@code path} (dotted, e.g. {@code training.epochs}) in {@code tree} to {@code value}. */
    public static void set(ObjectNode tree, String path, Object value) {
        String[] names = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode child = node.get(names[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(names[i]);
        }
        node.set(names[names.length - 1], YAML.valueToTree(value));
    }

    private static String describe(JsonProcessingException e, JsonNode tree) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String section = path(unknown.getPath().subList(0, unknown.getPath().size() - 1));
            Set<String> valid = unknown.getKnownPropertyIds().stream().map(Object::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            String near = Suggestions.closest(unknown.getPropertyName(), valid);
            String prefix = section.isEmpty() ? "" : section + ".";
            return "unknown key \"" + prefix + unknown.getPropertyName() + "\""
                    + (near == null ? "" : " (did you mean \"" + prefix + near + "\"?)")
                    + "; valid keys" + (section.isEmpty() ? "" : " in " + section) + ": " + String.join(", ", valid);
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException bad) {
            return bad.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            JsonNode given = at(tree, mismatch.getPath());
            return "\"" + path(mismatch.getPath()) + "\" is " + (given == null ? "of another type" : given.toString())
                    + ", not " + expected(mismatch.getTargetType());
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "\"" + path(mapping.getPath()) + "\": " + firstLine(e.getOriginalMessage()); // e.g. out of range
        }
        return firstLine(e.getOriginalMessage());
    }

    /** @return the node at {@code references} in {@code tree}, or {@code null} */
    private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> references) {
        JsonNode node = tree;
        for (JsonMappingException.Reference r : references) {
            node = node == null ? null : r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        return node;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys";
        }
        return "a " + type.getSimpleName();
    }


    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** SnakeYAML's message without its location and quoted source lines: what is wrong, on one line. */
    private static String problem(String message) {
        if (message == null) {
            return "unreadable";
        }
        // SnakeYAML indents its location and source lines; the lines that say what is wrong are not.
        return message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining("; "));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
