package dev.mhc.examples.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark figure: repeated measurements summarised, and its ratio to a baseline measured in
 * the same run (ratios are what carry over between machines; absolute numbers do not).
 *
 * @param median the median of the samples (for timings: of the per-round medians)
 * @param ratio the median over rounds of this figure's time over its baseline's in the same round
 * @param threads the intra-op threads both sides ran with
 */
public record Figure(String name, String unit, double median, double min, double max, String baseline,
        double baselineMedian, double ratio, int threads) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Summarises {@code samples} against {@code baselineSamples}, measured pairwise (the i-th of each
     * in the same round): the ratio is the median of the pairs' ratios, so drift in the machine's
     * speed between rounds cancels out.
     */
    public static Figure of(String name, String unit, double[] samples, String baseline, double[] baselineSamples,
            int threads) {
        if (samples.length != baselineSamples.length) {
            throw new IllegalArgumentException(name + ": " + samples.length + " samples against "
                    + baselineSamples.length + " baseline samples; they are measured in pairs");
        }
        double[] sorted = sorted(samples);
        double[] ratios = new double[samples.length];
        for (int i = 0; i < samples.length; i++) {
            ratios[i] = samples[i] / baselineSamples[i];
        }
        return new Figure(name, unit, median(samples), sorted[0], sorted[sorted.length - 1], baseline,
                median(baselineSamples), median(ratios), threads);
    }

    static double median(double[] samples) {
        double[] sorted = sorted(samples);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] sorted(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("a figure needs at least one sample");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    public String toText() {
        return String.format(Locale.ROOT,
                "%-38s %10.3f %-8s (min %.3f, max %.3f)  vs %s %.3f  ratio %.3f  [%d threads]",
                name, median, unit, min, max, baseline, baselineMedian, ratio, threads);
    }

    public String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("unit", unit);
        fields.put("median", median);
        fields.put("min", min);
        fields.put("max", max);
        fields.put("baseline", baseline);
        fields.put("baseline_median", baselineMedian);
        fields.put("ratio", ratio);
        fields.put("threads", threads);
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
