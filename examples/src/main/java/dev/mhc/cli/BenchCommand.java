package dev.mhc.cli;

import dev.mhc.examples.bench.DecodeBenchmark;
import dev.mhc.examples.bench.Figure;
import dev.mhc.examples.bench.MixingOverheadBenchmark;
import java.util.ArrayList;
import java.util.List;
import dev.mhc.examples.bench.MixingOverheadBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mhc bench}: benchmark figures, each with its same-run baseline and ratio. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the forward overhead of history mixing (BERT-base size) and greedy decoding with and"
                    + " without the KV cache (GPT-2-small size); random weights, each figure against its same-run baseline.")
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--json", description = "one JSON object per figure")
    boolean json;

    @Override
    public Integer call() {
        List<Figure> figures = new ArrayList<>(MixingOverheadBenchmark.run());
        figures.addAll(DecodeBenchmark.run());
        for (Figure figure : figures) {
            System.out.println(json ? figure.toJson() : figure.toText());
        }
        return 0;
    }
}
