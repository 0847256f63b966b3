package dev.mhc.cli;

import dev.mhc.examples.bench.DecodeBenchmark;
import dev.mhc.examples.bench.Figure;
import dev.mhc.examples.bench.MixingOverheadBenchmark;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mhc bench}: benchmark figures, each with its same-run baseline and ratio, printed as measured. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the forward overhead of history mixing (BERT-base size) and greedy decoding with and"
                    + " without the KV cache (GPT-2-small size); random weights, each figure against its same-run"
                    + " baseline, printed as soon as it is measured.")
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--json", description = "one JSON object per figure")
    boolean json;

    @CommandLine.Option(names = "--only", description = "one group: mixing or decode (default: both)")
    String only;

    /** The groups, by name, with what a person waits for. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("mixing", "history mixing's forward overhead, BERT-base 8 x 128");
        GROUPS.put("decode", "greedy decoding with and without the KV cache, GPT-2-small");
    }

    @Override
    public Integer call() {
        if (only != null && !GROUPS.containsKey(only)) {
            throw new IllegalArgumentException("--only must be one of " + GROUPS.keySet() + ", got \"" + only + "\"");
        }
        Consumer<Figure> print = figure -> {
            System.out.println(json ? figure.toJson() : figure.toText());
            System.out.flush();
        };
        for (Map.Entry<String, String> group : GROUPS.entrySet()) {
            if (only != null && !only.equals(group.getKey())) {
                continue;
            }
            System.err.println("measuring " + group.getKey() + ": " + group.getValue() + " ...");
            if (group.getKey().equals("mixing")) {
                MixingOverheadBenchmark.run(print);
            } else {
                DecodeBenchmark.run(print);
            }
        }
        return 0;
    }
}
