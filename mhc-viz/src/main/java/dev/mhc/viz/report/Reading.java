package dev.mhc.viz.report;

import dev.mhc.viz.analytics.Analysis;
import dev.mhc.viz.analytics.LayerFigures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** A short reading of an analysis in plain words, for the top of the report. */
public final class Reading {

    /** A change in long-range reliance smaller than this is no change. */
    static final double CHANGED = 0.01;

    private Reading() {}

    /**
     * What training changed, in plain words: long-range reliance against its own initial value
     * (layers that cannot reach past the previous layer are left out: they are sequential by
     * construction), the largest move, and how many mixing patterns the layers share.
     */
    public static List<String> of(Analysis analysis) {
        List<LayerFigures> layers = analysis.layers();
        List<String> sentences = new ArrayList<>();
        List<LayerFigures> skipping = layers.stream().filter(LayerFigures::canSkip).toList();
        if (skipping.isEmpty()) {
            sentences.add("No layer reaches past the previous one (H is too small or the layers too few), so there"
                    + " is no long-range reliance to learn.");
        } else {
            LayerFigures rose = skipping.stream().max(Comparator.comparingDouble(Reading::change)).orElseThrow();
            LayerFigures fell = skipping.stream().min(Comparator.comparingDouble(Reading::change)).orElseThrow();
            if (change(rose) < CHANGED && change(fell) > -CHANGED) {
                sentences.add(String.format(Locale.ROOT, "Training left long-range reliance where it started: within"
                        + " %.2f of its initial value in every layer that can skip.", CHANGED));
            }
            if (change(rose) >= CHANGED) {
                sentences.add(moved("raised", rose, count(skipping, 1)));
            }
            if (change(fell) <= -CHANGED) {
                sentences.add(moved("lowered", fell, count(skipping, -1)));
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

    /** "Training raised long-range reliance in 3 layers, most in encoder.layer.3 (0.07 to 0.14)." */
    private static String moved(String verb, LayerFigures most, int layers) {
        String where = layers == 1 ? "in " + most.path() : "in " + layers + " layers, most in " + most.path();
        return String.format(Locale.ROOT, "Training %s long-range reliance %s (%.2f to %.2f).", verb, where,
                most.initialLongRange(), most.longRange());
    }

    private static double change(LayerFigures layer) {
        return layer.longRange() - layer.initialLongRange();
    }

    /** How many layers changed in {@code direction} (1 up, -1 down) by at least {@link #CHANGED}. */
    private static int count(List<LayerFigures> layers, int direction) {
        return (int) layers.stream().filter(l -> direction * change(l) >= CHANGED).count();
    }
}
