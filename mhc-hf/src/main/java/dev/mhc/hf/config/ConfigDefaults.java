package dev.mhc.hf.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every family's config record does in its constructor, written once: HF's defaults for
 * absent keys, the unknown keys kept in order, and the default labels of a classification head.
 */
public final class ConfigDefaults {

    private ConfigDefaults() {}

    /** @return {@code value}, or HF's default when config.json leaves the key out */
    public static <T> T orElse(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** @return the keys this library does not bind, unmodifiable, in file order */
    public static Map<String, Object> extras(Map<String, Object> extra) {
        return extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** @return {@code id2label}, or HF's two default labels */
    public static Map<String, String> labels(Map<String, String> id2label) {
        return id2label == null ? Map.of("0", "LABEL_0", "1", "LABEL_1") : Map.copyOf(id2label);
    }

    /**
     * @param value a token-id key as config.json holds it: a number, a list of numbers, or null
     * @return the ids; none for null
     */
    public static Set<Long> tokenIds(String key, Object value) {
        List<?> values = value == null ? List.of() : value instanceof List<?> list ? list : List.of(value);
        Set<Long> ids = new TreeSet<>();
        for (Object v : values) {
            if (!(v instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
                throw new IllegalArgumentException(key + " must be a token id (an integer >= 0) or a list of them, got "
                        + value);
            }
            ids.add(n.longValue());
        }
        return Collections.unmodifiableSet(ids);
    }
}
