package dev.mhc.hf;

import com.fasterxml.jackson.annotation.JsonAnySetter;

import java.util.List;
import java.util.Map;

/**
 * A config record as a family would write one: required primitives, an optional boxed field with
 * a default, a nested record, an open map, unknown keys kept in {@code extra}, and a check of an
 * impossible combination in the compact constructor.
 */
public record ToyConfig(
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        String hiddenAct,
        Double layerNormEps,
        RopeScaling ropeScaling,
        List<String> labels,
        Map<String, Object> quantization,
        @JsonAnySetter Map<String, Object> extra) {

    public ToyConfig {
        if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size ("
                            + hiddenSize
                            + ") must be a positive multiple of num_attention_heads ("
                            + numAttentionHeads
                            + ")");
        }
        if (layerNormEps == null) {
            layerNormEps = 1e-12;
        }
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** The nested object HF configs use for RoPE scaling. */
    public record RopeScaling(double factor, String type) {}

    static ToyConfig of(int hiddenSize, int layers, int heads) {
        return new ToyConfig(hiddenSize, layers, heads, "gelu", null, null, null, null, null);
    }

    ToyConfig withLayers(int layers) {
        return new ToyConfig(
                hiddenSize,
                layers,
                numAttentionHeads,
                hiddenAct,
                layerNormEps,
                ropeScaling,
                labels,
                quantization,
                extra);
    }
}
