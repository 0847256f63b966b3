package dev.mhc.examples.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * One benchmark figure: repeated timings summarised, and its ratio to a baseline measured in the
 * same run (ratios are what carry over between machines; absolute numbers do not).
 */
public record Figure(String name, String unit, double median, double min, double max, String baseline, double ratio) {

    /** Summarises samples; {@code baselineMedian} NaN when this figure is itself a baseline. */
    public static Figure of(String name, String unit, double[] samples, String baseline, double baselineMedian) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double ratio = Double.isNaN(baselineMedian) ? 1.0 : median / baselineMedian;
        return new Figure(name, unit, median, sorted[0], sorted[sorted.length - 1], baseline, ratio);
    }

    public String toText() {
        return String.format(Locale.ROOT, "%-40s %10.3f %-9s (min %.3f, max %.3f)  vs %-36s x%.2f",
                name, median, unit, min, max, baseline, ratio);
    }

    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"name\": \"%s\", \"unit\": \"%s\", \"median\": %.6g, \"min\": %.6g, \"max\": %.6g,"
                        + " \"baseline\": \"%s\", \"ratio\": %.6g}",
                name, unit, median, min, max, baseline, ratio);
    }
}
