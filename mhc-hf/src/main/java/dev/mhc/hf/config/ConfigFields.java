package dev.mhc.hf.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.mhc.core.text.Suggestions;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JSON fields a config class binds, as Jackson sees them (snake_case, any-setter excluded).
 * Asking Jackson rather than reflecting on the record keeps overrides and binding in agreement.
 */
final class ConfigFields {

    private ConfigFields() {}

    /** @return JSON name to declared type, in declaration order; the any-setter map is left out */
    static Map<String, JavaType> of(JavaType type) {
        BeanDescription description = HfConfigs.MAPPER.getDeserializationConfig().introspect(type);
        AnnotatedMember anySetter = description.findAnySetterAccessor();
        Map<String, JavaType> fields = new LinkedHashMap<>();
        for (BeanPropertyDefinition property : description.findProperties()) {
            boolean isAnySetter =
                    anySetter != null && anySetter.getName().equals(property.getInternalName());
            if (property.couldDeserialize() && !isAnySetter) {
                fields.put(property.getName(), property.getPrimaryType());
            }
        }
        return fields;
    }

    static Map<String, JavaType> of(Class<?> type) {
        return of(HfConfigs.MAPPER.constructType(type));
    }

    /** A class with named fields of its own (a nested config record), not a value or a map. */
    static boolean hasFields(JavaType type) {
        Class<?> raw = type.getRawClass();
        return !type.isPrimitive()
                && !type.isEnumType()
                && !type.isContainerType()
                && !isOpen(type)
                && !raw.getName().startsWith("java.");
    }

    /** Object and JsonNode take any shape, so any sub-key is acceptable below them. */
    static boolean isOpen(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw == Object.class || JsonNode.class.isAssignableFrom(raw);
    }

    /** @return the type as a reader would write it: {@code int}, {@code List<String>} */
    static String describe(JavaType type) {
        String name = type.getRawClass().getSimpleName();
        if (type.isArrayType() || type.containedTypeCount() == 0) {
            return name;
        }
        StringBuilder text = new StringBuilder(name).append('<');
        for (int i = 0; i < type.containedTypeCount(); i++) {
            text.append(i == 0 ? "" : ", ").append(describe(type.containedType(i)));
        }
        return text.append('>').toString();
    }

    /**
     * The candidates closest to a mistyped name: most shared snake_case words first (so {@code
     * n_layers} finds {@code num_hidden_layers}), then fewest edits.
     */
    static List<String> nearest(String name, Collection<String> candidates, int limit) {
        Comparator<String> closeness =
                Comparator.<String>comparingInt(c -> -sharedWords(name, c))
                        .thenComparingInt(c -> Suggestions.editDistance(name, c))
                        .thenComparing(Comparator.naturalOrder());
        return candidates.stream().sorted(closeness).limit(limit).collect(Collectors.toList());
    }

    private static int sharedWords(String a, String b) {
        Set<String> wordsOfB =
                Arrays.stream(b.split("_")).filter(w -> !w.isEmpty()).collect(Collectors.toSet());
        int shared = 0;
        for (String word : a.split("_")) {
            if (!word.isEmpty()
                    && wordsOfB.stream().anyMatch(w -> w.startsWith(word) || word.startsWith(w))) {
                shared++;
            }
        }
        return shared;
    }
}
