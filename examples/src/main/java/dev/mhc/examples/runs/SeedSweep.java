package dev.mhc.examples.runs;

import ai.djl.pytorch.jni.JniUtils;
import dev.mhc.examples.Commit;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every variant of an experiment for every seed and gathers a {@link RunRecord}. Within a
 * seed the variants run one after the other, in reverse order on every other seed, so that train
 * times share the machine's state and no variant always runs first.
 */
public final class SeedSweep {

    /** One variant's outcome for one seed. */
    public record Measurement(double metric, double seconds, long trainable) {}

    /** Trains and scores one variant with one seed. */
    @FunctionalInterface
    public interface Trial {
        Measurement run(String variant, long seed) throws IOException;
    }

    private SeedSweep() {}

    /**
     * @param variants variant names, as the trial knows them
     * @param metric what {@link Measurement#metric} is, e.g. "test accuracy"
     */
    public static RunRecord run(String run, String metric, List<String> variants, List<Long> seeds,
            Map<String, Object> config, Trial trial, PrintStream out) throws IOException {
        if (seeds.isEmpty() || variants.isEmpty()) {
            throw new IllegalArgumentException("give at least one seed and one variant");
        }
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, Long> trainable = new LinkedHashMap<>();
        variants.forEach(v -> {
            values.put(v, new ArrayList<>());
            seconds.put(v, new ArrayList<>());
        });
        for (int s = 0; s < seeds.size(); s++) {
            List<String> order = new ArrayList<>(variants);
            if (s % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String variant : order) {
                Measurement m = trial.run(variant, seeds.get(s));
                values.get(variant).add(m.metric());
                seconds.get(variant).add(m.seconds());
                trainable.put(variant, m.trainable());
                out.printf(Locale.ROOT, "[%s] seed %d, %s: %s %.4f (train %.1f s)%n", run, seeds.get(s), variant,
                        metric, m.metric(), m.seconds());
            }
        }
        List<RunRecord.Variant> results = new ArrayList<>();
        List<Double> baseline = seconds.get(variants.get(0));
        variants.forEach(v -> results.add(RunRecord.Variant.of(v, metric, values.get(v), seconds.get(v), baseline,
                trainable.get(v))));
        RunRecord record = new RunRecord(run, Commit.current(), List.copyOf(seeds), config, machine(), results);
        out.print(record.table());
        return record;
    }

    /** The settings a record says the numbers came from: processors and libtorch's threads. */
    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("processors", Runtime.getRuntime().availableProcessors());
        machine.put("torch_intra_op_threads", JniUtils.getNumThreads());
        machine.put("torch_inter_op_threads", JniUtils.getNumInteropThreads());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os_arch", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return machine;
    }
}
