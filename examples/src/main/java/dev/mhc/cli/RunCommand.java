package dev.mhc.cli;

import dev.mhc.examples.runs.AustenRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mhc run-austen}: the measured fine-tuning comparison on the real MiniLM. */
@Command(name = "run-austen", mixinStandardHelpOptions = true,
        description = "Austen 6-way novel classification on the real MiniLM: (a) frozen + head, (b) + mHC,"
                + " (c) LoRA + head, (d) LoRA + mHC + head.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "data", description = "folder with austen_train/test.jsonl") Path data;
    @Option(names = "--per-class", defaultValue = "60", description = "training passages per novel") int perClass;
    @Option(names = "--test-per-class", defaultValue = "60", description = "test passages per novel") int testPerClass;
    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--max-length", defaultValue = "64", description = "tokens per passage") int maxLength;
    @Option(names = "--seed", defaultValue = "13") long seed;
    @Option(names = "--variants", defaultValue = "a,b,c,d", split = ",") List<String> variants;

    @Override
    public Integer call() throws Exception {
        List<AustenRun.Result> results = new AustenRun(data, perClass, testPerClass, epochs, maxLength, seed)
                .run(variants, System.out);
        System.out.println("variant  accuracy  train_s  trainable");
        for (AustenRun.Result r : results) {
            System.out.printf(Locale.ROOT, "%-8s %8.4f %8.0f %10d%n", r.variant(), r.accuracy(), r.seconds(), r.trainable());
        }
        return 0;
    }
}
