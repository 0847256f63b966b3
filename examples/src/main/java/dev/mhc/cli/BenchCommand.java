package dev.mhc.cli;

import dev.mhc.core.io.AtomicFiles;
import dev.mhc.examples.bench.BenchRecord;
import dev.mhc.examples.bench.DecodeBenchmark;
import dev.mhc.examples.bench.Figure;
import dev.mhc.examples.bench.LoadingBenchmark;
import dev.mhc.examples.bench.MiniLmBenchmark;
import dev.mhc.examples.bench.MixingOverheadBenchmark;
import dev.mhc.examples.bench.UnpadBenchmark;
import dev.mhc.examples.bench.TrainingBenchmark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mhc bench}: benchmark figures, each with its same-run baseline and ratio, printed as measured. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Measure speed and memory, each figure against a baseline measured in the same run (rounds"
                + " interleaved; ONNX Runtime in a child JVM), printed as soon as it is measured. Figures:",
            "  minilm-forward-1x16, minilm-forward-32x128 (vs ONNX Runtime), mhc-forward-overhead-minilm-32x128,"
                + " minilm-peak-rss-64x512, mhc-forward-overhead-bert-base-8x128, mhc-train-step-overhead,"
                + " train-step-vs-forward, train-step-vs-forward-frozen, mhc-train-step-memory-detach, load-bert-base,"
                + " kv-cache-speedup,"
                + " decode-t256-vs-t16.",
            "Threads: PyTorch's intra-op default (set -Dai.djl.pytorch.num_threads=N through JAVA_OPTS);"
                + " ONNX Runtime gets the same number."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--json", description = "one JSON object per figure")
    boolean json;

    @CommandLine.Option(names = "--record", paramLabel = "FILE",
            description = "also write every figure, with the machine and the command, to FILE as one JSON record"
                    + " (as docs/results/bench.json)")
    Path record;

    @CommandLine.Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "only these groups (latency, throughput, memory, mixing, unpad, training, loading, decode)"
                    + " or figures, comma-separated")
    List<String> only;

    /** A group of figures measured together (they share a model or rounds). */
    private interface Group {
        void run(Consumer<Figure> figures) throws Exception;
    }

    private record Entry(String description, List<String> figures, Group group) {}

    private static final Map<String, Entry> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("latency", new Entry("MiniLM 1 x 16 against ONNX Runtime", List.of("minilm-forward-1x16"),
                MiniLmBenchmark::forward1x16));
        GROUPS.put("throughput", new Entry("MiniLM 32 x 128 against ONNX Runtime, plain and with mHC",
                List.of("minilm-forward-32x128", "mhc-forward-overhead-minilm-32x128"),
                MiniLmBenchmark::forward32x128));
        GROUPS.put("memory", new Entry("peak memory of a MiniLM 64 x 512 forward, ours and ONNX Runtime's",
                List.of("minilm-peak-rss-64x512"), MiniLmBenchmark::peakRss64x512));
        GROUPS.put("mixing", new Entry("history mixing's forward overhead, BERT-base 8 x 128",
                List.of("mhc-forward-overhead-bert-base-8x128"), MixingOverheadBenchmark::run));
        GROUPS.put("unpad", new Entry("the unpad patch on a ragged MiniLM batch, 32 sequences of 8..128 tokens",
                List.of("unpad-ragged-32"), UnpadBenchmark::run));
        GROUPS.put("training", new Entry("fine-tuning steps on MiniLM, 32 x 64",
                List.of("mhc-train-step-overhead", "train-step-vs-forward", "train-step-vs-forward-frozen",
                        "mhc-train-step-memory-detach"),
                TrainingBenchmark::run));
        GROUPS.put("loading", new Entry("loading a BERT-base-sized checkpoint", List.of("load-bert-base"),
                LoadingBenchmark::run));
        GROUPS.put("decode", new Entry("greedy decoding with and without the KV cache, GPT-2-small",
                List.of("kv-cache-speedup", "decode-t256-vs-t16"), DecodeBenchmark::run));
    }

    @Override
    public Integer call() throws Exception {
        List<String> known = new ArrayList<>();
        GROUPS.forEach((name, entry) -> {
            known.add(name);
            known.addAll(entry.figures());
        });
        if (only != null) {
            for (String name : only) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("--only: no group or figure \"" + name + "\"; known: " + known);
                }
            }
        }
        List<Map.Entry<String, Entry>> chosen = new ArrayList<>();
        for (Map.Entry<String, Entry> group : GROUPS.entrySet()) {
            if (only == null || only.contains(group.getKey())
                    || group.getValue().figures().stream().anyMatch(only::contains)) {
                chosen.add(group);
            }
        }
        List<Figure> measured = new ArrayList<>();
        Consumer<Figure> print = figure -> {
            measured.add(figure);
            System.out.println(json ? figure.toJson() : figure.toText());
            System.out.flush();
        };
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Entry> group : chosen) {
            System.err.println("measuring " + group.getKey() + ": " + group.getValue().description() + " ...");
            try {
                group.getValue().group().run(print);
            } catch (Exception e) { // one failed group (a worker killed for memory) does not cost the others
                System.err.println("mhc bench: " + group.getKey() + " failed: " + e.getMessage());
                failed.add(group.getKey());
            }
        }
        if (record != null) {
            AtomicFiles.write(record, BenchRecord.of(measured, only, record.toString()).getBytes(StandardCharsets.UTF_8));
            System.err.println("wrote " + record);
        }
        if (!failed.isEmpty()) {
            System.err.println("mhc bench: no figures from " + failed);
            return 1;
        }
        return 0;
    }
}
