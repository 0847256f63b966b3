package dev.mhc.cli;

import dev.mhc.examples.ToyDemo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mhc demo}: the first-run demo. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Inject mHC into a toy residual stack, learn its mixing weights and print them.")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--out", description = "where to write the report (default: ${DEFAULT-VALUE})",
            defaultValue = "mhc-demo")
    Path out;

    @Override
    public Integer call() throws Exception {
        ToyDemo.run(System.out, out);
        return 0;
    }
}
