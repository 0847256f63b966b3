package dev.mhc.cli;

import dev.mhc.examples.runs.DigitsRun;
import dev.mhc.examples.runs.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mhc run-digits}: a small ViT from scratch on the UCI digits, with and without mHC. */
@Command(name = "run-digits", mixinStandardHelpOptions = true,
        description = "Train a small ViT (patch 2 on 8x8 digits) from scratch with and without mHC; report test accuracy over seeds.")
final class RunDigitsCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "data/digits.csv") Path data;
    @Option(names = "--epochs", defaultValue = "30") int epochs;
    @Option(names = {"--seeds", "--seed"}, defaultValue = "13,14,15", split = ",",
            description = "seeds, each a full run of every variant (default: ${DEFAULT-VALUE})") List<Long> seeds;
    @Option(names = "--json", description = "write the record (commit, seeds, config, per-variant values) here")
    Path json;

    @Override
    public Integer call() throws Exception {
        RunRecord record = DigitsRun.sweep(data, epochs, seeds, System.out);
        if (json != null) {
            record.write(json);
        }
        return 0;
    }
}
