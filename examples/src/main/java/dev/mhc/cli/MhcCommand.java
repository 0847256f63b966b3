package dev.mhc.cli;

import dev.mhc.examples.ToyDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mhc} command. */
@Command(
        name = "mhc",
        mixinStandardHelpOptions = true,
        version = "mhc 0.1.0",
        description = "Inject hyper-connections (mHC) into transformer models, fine-tune and inspect them.",
        subcommands = {MhcCommand.Demo.class})
public final class MhcCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new MhcCommand()).execute(args));
    }

    /** {@code mhc demo}: the first-run demo. */
    @Command(
            name = "demo",
            mixinStandardHelpOptions = true,
            description = "Inject mHC into a toy residual stack, learn its mixing weights and print them.")
    static final class Demo implements Callable<Integer> {
        @Override
        public Integer call() {
            ToyDemo.run(System.out);
            return 0;
        }
    }
}
