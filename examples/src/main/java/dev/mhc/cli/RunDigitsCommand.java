package dev.mhc.cli;

import dev.mhc.examples.runs.DigitsRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mhc run-digits}: a small ViT from scratch on the UCI digits, with and without mHC. */
@Command(name = "run-digits", mixinStandardHelpOptions = true,
        description = "Train a small ViT (patch 2 on 8x8 digits) from scratch with and without mHC; report test accuracy.")
final class RunDigitsCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "data/digits.csv") Path data;
    @Option(names = "--epochs", defaultValue = "30") int epochs;
    @Option(names = "--seed", defaultValue = "13") long seed;

    @Override
    public Integer call() throws Exception {
        DigitsRun.run(data, false, epochs, seed, System.out);
        DigitsRun.run(data, true, epochs, seed, System.out);
        return 0;
    }
}
