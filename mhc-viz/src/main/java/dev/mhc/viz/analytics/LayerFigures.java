package dev.mhc.viz.analytics;

/**
 * The figures of one layer; see {@link MixingAnalytics} for their formulas.
 *
 * @param path the layer's path
 * @param entropy -sum p_k ln p_k, in nats
 * @param depth the expected offset sum k p_k
 * @param longRange the mass at offsets >= 2, sum_{k>=2} p_k
 * @param driftL1 sum |c_k - c0_k|
 * @param driftKl sum p_k ln(p_k / q_k), q the initial shares
 * @param initialLongRange the long-range reliance at initialisation, sum_{k>=2} q_k
 * @param canSkip whether the layer reaches past the previous layer at all (offset 2 or more)
 */
public record LayerFigures(String path, double entropy, double depth, double longRange, double driftL1, double driftKl,
        double initialLongRange, boolean canSkip) {}
