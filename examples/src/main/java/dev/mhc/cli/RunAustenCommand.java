package dev.mhc.cli;

import dev.mhc.examples.runs.AustenRun;
import dev.mhc.examples.runs.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mhc run-austen}: the measured fine-tuning comparison on the real MiniLM. */
@Command(name = "run-austen", mixinStandardHelpOptions = true,
        description = "Austen 6-way novel classification on the real MiniLM: (a) frozen + head, (b) + mHC,"
                + " (c) LoRA + head, (d) LoRA + mHC + head; test accuracy over seeds.")
final class RunAustenCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "data", description = "folder with austen_train/test.jsonl") Path data;
    @Option(names = "--per-class", defaultValue = "200", description = "training passages per novel") int perClass;
    @Option(names = "--test-per-class", defaultValue = "200", description = "test passages per novel (up to)")
    int testPerClass;
    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--max-length", defaultValue = "64", description = "tokens per passage") int maxLength;
    @Option(names = {"--seeds", "--seed"}, defaultValue = "13,14,15", split = ",",
            description = "seeds, each a full run of every variant (default: ${DEFAULT-VALUE})") List<Long> seeds;
    @Option(names = "--variants", defaultValue = "a,b,c,d", split = ",") List<String> variants;
    @Option(names = "--mixing-lr", defaultValue = "2e-2", description = "learning rate of the mixing weights")
    double mixingLr;
    @Option(names = "--mixing-warmup", defaultValue = "1",
            description = "epochs at a tenth of the mixing rate (0: none)") int mixingWarmup;
    @Option(names = "--epsilon", defaultValue = "0.1", description = "mHC's initial share of the history") double epsilon;
    @Option(names = "--gate", description = "mHC with a gate (starts as the identity)") boolean gate;
    @Option(names = "--json", description = "write the record (commit, seeds, config, per-variant values) here")
    Path json;

    @Override
    public Integer call() throws Exception {
        AustenRun run = new AustenRun(data, perClass, testPerClass, epochs, maxLength,
                new AustenRun.Mixing(mixingLr, mixingWarmup, epsilon, gate));
        RunRecord record = run.sweep(variants, seeds, System.out);
        if (json != null) {
            record.write(json);
        }
        return 0;
    }
}
