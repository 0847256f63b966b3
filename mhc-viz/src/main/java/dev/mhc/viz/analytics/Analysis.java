package dev.mhc.viz.analytics;

import java.util.List;

/**
 * What the analytics found across the layers of one snapshot.
 *
 * @param layers per-layer figures, in tree order
 * @param similarity cosine similarity of the layers' coefficient vectors, layers x layers
 * @param singularValues of the layers x offsets share matrix, largest first
 * @param patterns the fewest singular values carrying 90% of the squared total: how many
 *     distinct mixing patterns the layers follow
 */
public record Analysis(List<LayerFigures> layers, double[][] similarity, double[] singularValues, int patterns) {}
