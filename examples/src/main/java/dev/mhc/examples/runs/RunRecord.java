package dev.mhc.examples.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mhc.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one invocation of a {@code run-*} command measured: the commit, the seeds, the settings and,
 * per variant, the metric for every seed with its mean and sample standard deviation, and the
 * train times (variants interleaved within each seed, so that they share the machine's state).
 */
public record RunRecord(String run, String commit, List<Long> seeds, Map<String, Object> config,
        Map<String, Object> machine, List<Variant> variants) {

    /**
     * One variant over all seeds; {@code std} is the sample standard deviation (0 for one seed).
     *
     * @param timeRatio per seed, this variant's training time over the first variant's in the same
     *     seed (their runs are interleaved), so machine drift cancels
     */
    public record Variant(String name, String metric, List<Double> values, double mean, double std,
            @JsonProperty("train_seconds") List<Double> trainSeconds,
            @JsonProperty("train_seconds_median") double trainSecondsMedian, long trainable,
            @JsonProperty("time_ratio") List<Double> timeRatio,
            @JsonProperty("time_ratio_mean") double timeRatioMean,
            @JsonProperty("time_ratio_std") double timeRatioStd) {

        static Variant of(String name, String metric, List<Double> values, List<Double> seconds, List<Double> baseline,
                long trainable) {
            List<Double> ratio = new java.util.ArrayList<>();
            for (int i = 0; i < seconds.size(); i++) {
                ratio.add(seconds.get(i) / baseline.get(i));
            }
            return new Variant(name, metric, List.copyOf(values), RunRecord.mean(values), RunRecord.std(values),
                    List.copyOf(seconds), RunRecord.median(seconds), trainable, List.copyOf(ratio),
                    RunRecord.mean(ratio), RunRecord.std(ratio));
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(this));
    }

    /** @return the variants as a plain-text table: mean ± std over the seeds, median train time */
    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-28s %-22s %-24s %10s %14s %12s%n",
                "variant", "metric", "mean ± std (" + seeds.size() + (seeds.size() == 1 ? " seed)" : " seeds)"),
                "train s", "time ratio", "trainable"));
        for (Variant v : variants) {
            out.append(String.format(Locale.ROOT, "%-28s %-22s %-24s %10.1f %14s %,12d%n", v.name(), v.metric(),
                    String.format(Locale.ROOT, "%.4f ± %.4f", v.mean(), v.std()), v.trainSecondsMedian(),
                    String.format(Locale.ROOT, "%.3f ± %.3f", v.timeRatioMean(), v.timeRatioStd()), v.trainable()));
        }
        return out.toString();
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double std(List<Double> values) {
        if (values.size() < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1));
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
