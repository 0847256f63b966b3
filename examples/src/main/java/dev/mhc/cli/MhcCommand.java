package dev.mhc.cli;

import dev.mhc.examples.ToyDemo;
import dev.mhc.examples.bench.DecodeBenchmark;
import dev.mhc.examples.bench.Figure;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mhc} command. */
@Command(
        name = "mhc",
        mixinStandardHelpOptions = true,
        version = "mhc 0.1.0",
        description = "Inject hyper-connections (mHC) into transformer models, fine-tune and inspect them.",
        subcommands = {MhcCommand.Demo.class, MhcCommand.Bench.class})
public final class MhcCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new MhcCommand()).execute(args));
    }

    /** {@code mhc bench}: benchmark figures, each with its same-run baseline and ratio. */
    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            description = "Measure greedy decoding with and without the KV cache (GPT-2-small size, random weights).")
    static final class Bench implements Callable<Integer> {
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

    /** {@code mhc demo}: the first-run demo. */
    @Command(
            name = "demo",
            mixinStandardHelpOptions = true,
            description = "Inject mHC into a toy residual stack, learn its mixing weights and print them.")
    static final class Demo implements Callable<Integer> {
        @CommandLine.Option(names = "--out", description = "where to write the report (default: ${DEFAULT-VALUE})",
                defaultValue = "mhc-demo")
        Path out;

        @Override
        public Integer call() throws Exception {
            ToyDemo.run(System.out, out);
            return 0;
        }
    }
}
