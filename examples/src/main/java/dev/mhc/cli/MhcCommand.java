package dev.mhc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mhc} command. */
@Command(
        name = "mhc",
        mixinStandardHelpOptions = true,
        version = "mhc 0.1.0",
        description = "Inject hyper-connections (mHC) into transformer models, fine-tune and inspect them.",
        footer = {"", "Errors print one line; add --verbose to any command for the stack trace."},
        subcommands = {
            DemoCommand.class,
            InspectCommand.class,
            InjectCommand.class,
            ForwardCommand.class,
            EmbedCommand.class,
            TokenizeCommand.class,
            GenerateCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            FinetuneCommand.class,
            ClassifyCommand.class,
            RunAustenCommand.class,
            RunDigitsCommand.class,
            RunPrideCommand.class,
            RunStreamsCommand.class
        })
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
        CommandLine line = new CommandLine(new MhcCommand())
                .setExpandAtFiles(false) // "--text @home" is the text "@home", not the file home
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("mhc: " + ErrorLines.of(e));
                    cmd.getErr().println("Try 'mhc " + cmd.getCommandName() + " --help' (or --verbose for details).");
                    if (verbose) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 1;
                });
        try {
            return line.execute(rest);
        } catch (OutOfMemoryError e) {
            System.err.println("mhc: " + ErrorLines.of(e));
            return 1;
        }
    }



}
