package dev.mhc.cli;

import dev.mhc.examples.MiniLmDemo;
import dev.mhc.examples.ToyDemo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mhc demo}: the first-run demo. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "The main job on the embedded all-MiniLM-L6-v2: mHC at epsilon 0 changes nothing; inject"
                + " H=4, learn the mixing weights and a head on Austen passages, write the mixing report.")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--out", description = "where to write the report (default: ${DEFAULT-VALUE})",
            defaultValue = "out/demo")
    Path out;

    @CommandLine.Option(names = "--epochs", defaultValue = "3", description = "training epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @CommandLine.Option(names = "--toy", description = "a toy residual stack instead of the real MiniLM (seconds)")
    boolean toy;

    @Override
    public Integer call() throws Exception {
        if (toy) {
            ToyDemo.run(System.out, out);
        } else {
            MiniLmDemo.run(System.out, out, epochs);
        }
        return 0;
    }
}
