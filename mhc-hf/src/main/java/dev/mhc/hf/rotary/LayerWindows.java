package dev.mhc.hf.rotary;

import java.util.ArrayList;
import java.util.List;

/** Which layers attend within a sliding window, read from config.json as HF reads it. */
public final class LayerWindows {

    public static final String SLIDING = "sliding_attention";
    public static final String FULL = "full_attention";

    private LayerWindows() {}

    /**
     * @return {@code layerTypes} unmodifiable, after checking it lists {@code layers} entries of
     *     {@link #SLIDING} or {@link #FULL}; {@code null} stays {@code null}
     */
    public static List<String> checked(List<String> layerTypes, int layers) {
        if (layerTypes == null) {
            return null;
        }
        if (layerTypes.size() != layers || !layerTypes.stream().allMatch(t -> SLIDING.equals(t) || FULL.equals(t))) {
            throw new IllegalArgumentException("layer_types must list num_hidden_layers (" + layers + ") entries of \""
                    + SLIDING + "\" or \"" + FULL + "\", got " + layerTypes);
        }
        return List.copyOf(layerTypes);
    }

    /**
     * Qwen2's and Qwen3's rule: a window only when {@code use_sliding_window} is true (real Qwen2.5
     * configs carry a {@code sliding_window} that is off), on the layers {@code layer_types} marks
     * sliding, or without it on layers {@code i >= max_window_layers}.
     *
     * @return per layer, the window, 0 for full attention
     */
    public static List<Integer> qwen(List<String> layerTypes, int layers, boolean useSlidingWindow,
            Integer slidingWindow, int maxWindowLayers) {
        List<Integer> windows = new ArrayList<>(layers);
        boolean on = useSlidingWindow && slidingWindow != null;
        for (int i = 0; i < layers; i++) {
            boolean sliding = layerTypes != null ? SLIDING.equals(layerTypes.get(i)) : i >= maxWindowLayers;
            windows.add(on && sliding ? slidingWindow : 0);
        }
        return windows;
    }
}
