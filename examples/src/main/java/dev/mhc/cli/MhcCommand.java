package dev.mhc.cli;

import dev.mhc.examples.ToyDemo;
import dev.mhc.examples.bench.DecodeBenchmark;
import dev.mhc.examples.bench.Figure;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.MixingWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mhc} command. */
@Command(
        name = "mhc",
        mixinStandardHelpOptions = true,
        version = "mhc 0.1.0",
        description = "Inject hyper-connections (mHC) into transformer models, fine-tune and inspect them.",
        subcommands = {MhcCommand.Demo.class, MhcCommand.Report.class, MhcCommand.Bench.class})
public final class MhcCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command; a failure prints one line and the usage hint (the stack trace only with
     * {@code --verbose}) and exits non-zero.
     */
    static int run(String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        return new CommandLine(new MhcCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    cmd.getErr().println("mhc: " + message);
                    cmd.getErr().println("Try 'mhc " + cmd.getCommandName() + " --help' (or --verbose for details).");
                    if (verbose) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 1;
                })
                .execute(rest);
    }

    /** {@code mhc report}: the mixing report of saved mhc directories. */
    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Write the HTML/PNG/SVG/CSV/JSON mixing report of mhc directories (several: one per"
                    + " checkpoint, oldest first).")
    static final class Report implements Callable<Integer> {
        @CommandLine.Parameters(arity = "1..*", paramLabel = "MHC_DIR", description = "directories Mhc.save wrote")
        List<Path> dirs;

        @CommandLine.Option(names = "--out", required = true, description = "output directory")
        Path out;

        @Override
        public Integer call() throws Exception {
            List<MixingSnapshot> snapshots = new ArrayList<>();
            for (Path dir : dirs) {
                snapshots.add(MixingWeights.extract(dir));
            }
            System.out.println("report: " + dev.mhc.viz.report.Report.write(snapshots, out).html().toAbsolutePath());
            return 0;
        }
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
