package dev.mhc.hf.rotary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One attention type's RoPE settings, read from config.json in either form Hugging Face writes:
 * transformers 4.x's top-level {@code rope_theta} and {@code rope_scaling}, or 5.x's {@code
 * rope_parameters} ({@code {rope_theta, rope_type, factor, ...}}, or, for models with several
 * attention types, one such map per layer type: {@code {full_attention: {...}, sliding_attention:
 * {...}}}). Where both forms are given they must agree; a disagreement is refused, not resolved by
 * a guess.
 *
 * @param theta the RoPE base
 * @param scaling the scaling entries as {@link RotaryEmbedding} reads them (rope_type and its
 *     parameters), or {@code null} for none
 * @param source the key the scaling came from ({@code rope_scaling}, {@code rope_parameters}, {@code
 *     rope_parameters.full_attention}), for naming its unread keys
 */
public record RopeSettings(double theta, Map<String, Object> scaling, String source) {

    /** HF's default base for models with one kind of attention (Llama, Qwen). */
    public static final double DEFAULT_THETA = 10_000.0;

    private static final String THETA = "rope_theta";
    private static final String PARAMETERS = "rope_parameters";
    private static final String PARTIAL = "partial_rotary_factor";

    public RopeSettings {
        scaling = scaling == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(scaling));
        RotaryEmbedding.checkScaling(scaling);
    }

    /**
     * RoPE of a model whose layers all rotate alike (Llama, Qwen): {@code rope_parameters} flat, or
     * with a {@code full_attention} entry only.
     */
    public static RopeSettings uniform(Double ropeTheta, Map<String, Object> ropeScaling,
            Map<String, Object> ropeParameters) {
        return resolve(ropeTheta, ropeScaling, entry(ropeParameters, LayerWindows.FULL, Set.of(LayerWindows.FULL)),
                DEFAULT_THETA, PARAMETERS);
    }

    /**
     * @param ropeTheta the top-level {@code rope_theta} (4.x), or {@code null}
     * @param ropeScaling the top-level {@code rope_scaling} (4.x), or {@code null}
     * @param ropeParameters the 5.x entry for this attention type (see {@link #entry}), or {@code null}
     * @param defaultTheta HF's default base when neither form gives one
     * @param where the keys' names for messages ({@code "rope_parameters.full_attention"})
     */
    public static RopeSettings resolve(Double ropeTheta, Map<String, Object> ropeScaling,
            Map<String, Object> ropeParameters, double defaultTheta, String where) {
        if (ropeParameters == null) {
            return new RopeSettings(ropeTheta == null ? defaultTheta : ropeTheta, ropeScaling, "rope_scaling");
        }
        Double inside = number(ropeParameters.get(THETA), where + "." + THETA);
        if (ropeTheta != null && inside != null && !ropeTheta.equals(inside)) {
            throw new IllegalArgumentException("rope_theta " + ropeTheta + " and " + where + ".rope_theta " + inside
                    + " disagree; keep one of them (transformers 5 writes only " + where + ")");
        }
        Double partial = number(ropeParameters.get(PARTIAL), where + "." + PARTIAL);
        if (partial != null && partial != 1.0) {
            throw new IllegalArgumentException(where + ".partial_rotary_factor " + partial
                    + " is not supported (RoPE on part of each head); only 1.0");
        }
        Map<String, Object> scaling = new LinkedHashMap<>(ropeParameters);
        scaling.remove(THETA);
        scaling.remove(PARTIAL);
        if (ropeScaling != null && !sameScaling(ropeScaling, scaling)) {
            throw new IllegalArgumentException("rope_scaling " + ropeScaling + " and " + where + " " + ropeParameters
                    + " disagree; keep one of them (transformers 5 writes only " + where + ")");
        }
        double theta = inside != null ? inside : ropeTheta != null ? ropeTheta : defaultTheta;
        return new RopeSettings(theta, isDefault(scaling) ? null : scaling, where);
    }

    /**
     * The part of {@code rope_parameters} that applies to {@code layerType}: the map itself when it
     * is flat, its {@code layerType} entry when it is keyed by layer type.
     *
     * @param layerTypes the layer types the model has, for refusing entries of others
     * @return the entry, or {@code null} when {@code ropeParameters} is {@code null} or has none for
     *     this type
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> entry(Map<String, Object> ropeParameters, String layerType,
            Set<String> layerTypes) {
        if (ropeParameters == null || !isPerLayerType(ropeParameters)) {
            return ropeParameters;
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Object> e : ropeParameters.entrySet()) {
            if (!layerTypes.contains(e.getKey()) || !(e.getValue() instanceof Map)) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("rope_parameters has entries " + unknown + " for layer types this"
                    + " model does not have; its layer types are " + layerTypes);
        }
        return (Map<String, Object>) ropeParameters.get(layerType);
    }

    /** @return the keys of the scaling that its type does not read, as paths, for the load report */
    public List<String> unusedKeys() {
        return RotaryEmbedding.unusedScalingKeys(scaling).stream().map(k -> source + "." + k).toList();
    }

    /** @return the rotary embedding of heads of size {@code dim} */
    public RotaryEmbedding embedding(int dim) {
        return RotaryEmbedding.of(dim, theta, scaling);
    }

    /** @return whether {@code rope_parameters} is keyed by layer type (5.x's nested form): its values are maps */
    public static boolean isPerLayerType(Map<String, Object> ropeParameters) {
        return !ropeParameters.isEmpty()
                && ropeParameters.values().stream().allMatch(v -> v instanceof Map || v == null);
    }

    private static boolean isDefault(Map<String, Object> scaling) {
        Object type = scaling.containsKey("rope_type") ? scaling.get("rope_type") : scaling.get("type");
        return scaling.isEmpty() || (scaling.size() == 1 && "default".equals(type));
    }

    /** Same type and the same numbers (8 and 8.0 are one factor), whichever of type/rope_type names it. */
    private static boolean sameScaling(Map<String, Object> a, Map<String, Object> b) {
        return normal(a).equals(normal(b));
    }

    private static Map<String, Object> normal(Map<String, Object> scaling) {
        Map<String, Object> out = new LinkedHashMap<>();
        scaling.forEach((k, v) -> out.put("type".equals(k) ? "rope_type" : k,
                v instanceof Number n ? (Object) n.doubleValue() : v));
        if (isDefault(out)) {
            return Map.of();
        }
        return out;
    }

    private static Double number(Object value, String key) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
            throw new IllegalArgumentException(key + " must be a finite number > 0, got " + value);
        }
        return n.doubleValue();
    }
}
