package dev.mhc.cli.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import dev.mhc.core.inject.Constraint;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON Schema of a run config, generated from {@link RunConfig}'s records, so that editors
 * complete and check keys ({@code examples/configs/run-config.schema.json}; the YAML files name it
 * in their first line for the YAML language server).
 */
public final class RunConfigSchema {

    private static final Set<String> REQUIRED = Set.of("model", "data", "out", "path", "file", "name");

    private RunConfigSchema() {}

    /** @return the schema, pretty-printed JSON */
    public static String generate() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
        config.forFields()
                .withPropertyNameOverrideResolver(RunConfigSchema::name)
                .withRequiredCheck(field -> REQUIRED.contains(name(field)))
                .withEnumResolver(RunConfigSchema::allowed);
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(RunConfig.class);
        schema.put("title", "mhc finetune run config");
        return schema.toPrettyString() + "\n";
    }

    private static String name(FieldScope field) {
        JsonProperty property = field.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
        if (property != null && !property.value().isEmpty()) {
            return property.value();
        }
        return new PropertyNamingStrategies.SnakeCaseStrategy().translate(field.getName());
    }

    private static List<String> allowed(FieldScope field) {
        Class<?> owner = field.getDeclaringType().getErasedType();
        return switch (name(field)) {
            case "mode" -> owner == RunConfig.Mhc.class ? List.of("history", "hc", "mhc") : null;
            case "constraint" -> Arrays.stream(Constraint.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            case "task" -> List.of("seq-cls", "image-cls", "causal-lm");
            default -> null;
        };
    }
}
