package dev.mhc.hf.rotary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rotary position embeddings as HF computes them: inverse frequencies 1 / base^(2i/d) in f32,
 * adjusted by {@code rope_scaling} (types {@code default}, {@code linear}, {@code llama3}); angles =
 * positions x frequencies; cos and sin of [angles, angles]; applied as x cos + rotate_half(x) sin
 * (halves, not interleaved pairs).
 */
public final class RotaryEmbedding {

    /** The parameters each supported scaling type reads. */
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "default", List.of(),
            "linear", List.of("factor"),
            "llama3", List.of("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"));

    private final float[] inverseFrequencies;

    private RotaryEmbedding(float[] inverseFrequencies) {
        this.inverseFrequencies = inverseFrequencies;
    }

    /**
     * @param dim the rotated size (the head size)
     * @param base {@code rope_theta}
     * @param scaling the config's {@code rope_scaling}, or {@code null}
     * @throws IllegalArgumentException for a scaling type this library does not implement, or one
     *     with missing or impossible parameters
     */
    public static RotaryEmbedding of(int dim, double base, Map<String, Object> scaling) {
        String type = checkScaling(scaling);
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / dim;
            inv[i] = 1f / (float) Math.pow(base, exponent);
        }
        if (type.equals("linear")) {
            double factor = positive(scaling, "factor");
            for (int i = 0; i < inv.length; i++) {
                inv[i] = (float) (inv[i] / factor);
            }
        } else if (type.equals("llama3")) {
            inv = llama3(inv, scaling);
        }
        return new RotaryEmbedding(inv);
    }

    /**
     * Checks {@code rope_scaling} without computing anything (configs check it as they bind).
     *
     * @return its type: "default" (also for {@code null}), "linear" or "llama3"
     * @throws IllegalArgumentException for a type this library does not implement, or missing or
     *     impossible parameters
     */
    public static String checkScaling(Map<String, Object> scaling) {
        if (scaling == null) {
            return "default";
        }
        Object type = scaling.containsKey("rope_type") ? scaling.get("rope_type") : scaling.get("type");
        if ("default".equals(type)) {
            return "default";
        }
        if ("linear".equals(type)) {
            positive(scaling, "factor");
            return "linear";
        }
        if ("llama3".equals(type)) {
            for (String key : PARAMETERS.get("llama3")) {
                positive(scaling, key);
            }
            if (positive(scaling, "high_freq_factor") <= positive(scaling, "low_freq_factor")) {
                throw new IllegalArgumentException("rope_scaling.high_freq_factor must be greater than low_freq_factor,"
                        + " got " + scaling);
            }
            return "llama3";
        }
        throw new IllegalArgumentException("rope_scaling type " + type + " is not supported (" + scaling
                + "); supported: null, \"default\", \"linear\" (factor) and \"llama3\" (factor, low_freq_factor,"
                + " high_freq_factor, original_max_position_embeddings)");
    }

    /**
     * @return the keys of {@code scaling} that its type does not read (HF ignores them too, with a
     *     warning), for the load report
     */
    public static List<String> unusedScalingKeys(Map<String, Object> scaling) {
        if (scaling == null) {
            return List.of();
        }
        List<String> read = new ArrayList<>(List.of("rope_type", "type"));
        read.addAll(PARAMETERS.get(checkScaling(scaling)));
        List<String> unused = new ArrayList<>(scaling.keySet());
        unused.removeAll(read);
        return unused;
    }

    /**
     * Llama 3.1's scaling: wavelengths longer than original / low_freq_factor divided by factor,
     * shorter than original / high_freq_factor kept, those between interpolated (f32, as HF).
     */
    private static float[] llama3(float[] inv, Map<String, Object> scaling) {
        float factor = (float) positive(scaling, "factor");
        float low = (float) positive(scaling, "low_freq_factor");
        float high = (float) positive(scaling, "high_freq_factor");
        float original = (float) positive(scaling, "original_max_position_embeddings");
        float lowFreqWavelength = original / low;
        float highFreqWavelength = original / high;
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            float wavelength = (1f / inv[i]) * (float) (2 * Math.PI);
            float scaled = wavelength > lowFreqWavelength ? inv[i] / factor : inv[i];
            if (wavelength < highFreqWavelength || wavelength > lowFreqWavelength) {
                out[i] = scaled;
            } else {
                float smooth = ((1f / wavelength) * original - low) / (high - low);
                out[i] = (1 - smooth) * scaled / factor + smooth * scaled;
            }
        }
        return out;
    }

    private static double positive(Map<String, Object> scaling, String key) {
        if (!(scaling.get(key) instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
            throw new IllegalArgumentException("rope_scaling." + key + " must be a finite number > 0, got "
                    + scaling.get(key) + " (in " + scaling + ")");
        }
        return n.doubleValue();
    }

    /** @return [cos, sin], each [batch or 1, seq, dim] for {@code positions} [batch or 1, seq] */
    public NDList table(NDArray positions) {
        NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(-1)
                .mul(positions.getManager().create(inverseFrequencies));
        NDArray angles = NDArrays.concat(new NDList(freqs, freqs), -1);
        return new NDList(angles.cos(), angles.sin());
    }

    /** x [batch, heads, seq, dim] rotated by cos, sin [batch, seq, dim]. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
        return x.mul(cos.expandDims(1)).add(rotated.mul(sin.expandDims(1)));
    }
}
