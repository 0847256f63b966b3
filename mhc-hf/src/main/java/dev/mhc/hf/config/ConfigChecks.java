package dev.mhc.hf.config;

/**
 * Range checks on config.json values, one message style for every family: the key, the value, and
 * what it must be. A value that would only show up later as NaN outputs is refused here.
 */
public final class ConfigChecks {

    private ConfigChecks() {}

    /** Sizes and counts: at least 1. */
    public static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be a positive integer, got " + value);
        }
    }

    /** The most layers a config may declare: released transformers have at most a few hundred. */
    public static final int MAX_LAYERS = 100_000;

    /** A layer count: at least 1 and at most {@link #MAX_LAYERS} (more is a typo or an override gone wrong). */
    public static void layers(String key, int value) {
        positive(key, value);
        if (value > MAX_LAYERS) {
            throw new IllegalArgumentException(key + " is " + value + "; at most " + MAX_LAYERS + " layers are built"
                    + " (released transformers have a few hundred at most)");
        }
    }

    /** Dropout rates: a probability in [0, 1). */
    public static void probability(String key, Double value) {
        if (value != null && !(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(key + " must be a dropout probability in [0, 1), got " + value);
        }
    }

    /** Normalisation epsilons: finite and above zero (a zero or negative one divides by zero or a negative). */
    public static void epsilon(String key, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(key + " must be a small positive number (such as 1e-12), got " + value);
        }
    }

    /** Scales, bases and caps that must be finite and above zero; {@code null} where the key is optional. */
    public static void positiveFinite(String key, Double value) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(key + " must be a finite number above zero, got " + value);
        }
    }

    /**
     * Grouped-query rotary attention: the query heads split evenly over the key/value heads, and the
     * head size is even (RoPE rotates pairs).
     */
    public static void rotaryHeads(int heads, int kvHeads, int headDim) {
        positive("num_attention_heads", heads);
        positive("num_key_value_heads", kvHeads);
        positive("head_dim", headDim);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads + " (grouped-query attention)");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " must be even: RoPE rotates pairs");
        }
    }
}
