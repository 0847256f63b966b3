package dev.mhc.cli;

import dev.mhc.examples.bench.DecodeBenchmark;
import dev.mhc.examples.bench.Figure;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mhc bench}: benchmark figures, each with its same-run baseline and ratio. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure greedy decoding with and without the KV cache (GPT-2-small size, random weights).")
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--json", description = "one JSON object per figure")
    boolean json;

    @Override
    public Integer call() {
        for (Figure figure : DecodeBenchmark.run()) {
            System.out.println(json ? figure.toJson() : figure.toText());
        }
        return 0;
    }
}
