package dev.mhc.viz.report;

import dev.mhc.viz.analytics.Analysis;
import dev.mhc.viz.analytics.LayerFigures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** A short reading of an analysis in plain words, for the top of the report. */
public final class Reading {

    /** Long-range reliance below this is "sequential": the layer keeps to its own input. */
    static final double SEQUENTIAL = 0.05;

    private Reading() {}

    public static List<String> of(Analysis analysis) {
        List<LayerFigures> layers = analysis.layers();
        List<String> sentences = new ArrayList<>();
        double max = layers.stream().mapToDouble(LayerFigures::longRange).max().orElse(0);
        if (max < SEQUENTIAL) {
            sentences.add(String.format(Locale.ROOT,
                    "No layer draws much on history: every long-range reliance is below %.2f.", SEQUENTIAL));
        } else {
            List<Integer> top = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).longRange() >= 0.5 * max) {
                    top.add(i);
                }
            }
            sentences.add(String.format(Locale.ROOT, "%s draw%s most on history (long-range reliance up to %.2f).",
                    ranges(top, layers), top.size() == 1 ? "s" : "", max));
            List<Integer> sequential = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).longRange() < SEQUENTIAL) {
                    sequential.add(i);
                }
            }
            if (!sequential.isEmpty()) {
                sentences.add(String.format(Locale.ROOT, "%s stay%s sequential (below %.2f).",
                        ranges(sequential, layers), sequential.size() == 1 ? "s" : "", SEQUENTIAL));
            }
        }
        LayerFigures drifted = layers.stream().max(Comparator.comparingDouble(LayerFigures::driftL1)).orElseThrow();
        sentences.add(String.format(Locale.ROOT, "The largest move from initialisation is %s (L1 drift %.3f).",
                drifted.path(), drifted.driftL1()));
        boolean one = analysis.patterns() == 1;
        sentences.add(String.format(Locale.ROOT, "The layers follow %d mixing pattern%s (%d singular value%s %s 90%%"
                        + " of the share matrix's energy).", analysis.patterns(), one ? "" : "s", analysis.patterns(),
                one ? "" : "s", one ? "carries" : "carry"));
        return sentences;
    }

    /** Runs of consecutive layers by path: "encoder.layer.4 to encoder.layer.7 and encoder.layer.9". */
    static String ranges(List<Integer> indices, List<LayerFigures> layers) {
        List<String> parts = new ArrayList<>();
        int start = indices.get(0);
        int previous = start;
        for (int j = 1; j <= indices.size(); j++) {
            int current = j < indices.size() ? indices.get(j) : Integer.MIN_VALUE;
            if (current != previous + 1) {
                String first = layers.get(start).path();
                parts.add(start == previous ? first : first + " to " + layers.get(previous).path());
                start = current;
            }
            previous = current;
        }
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
