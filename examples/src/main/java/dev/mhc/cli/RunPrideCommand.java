package dev.mhc.cli;

import dev.mhc.examples.runs.PrideRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mhc run-pride}: a small GPT-2 on Pride & Prejudice, with and without mHC. */
@Command(name = "run-pride", mixinStandardHelpOptions = true,
        description = "Train a small GPT-2 (real GPT-2 tokenizer) on Pride & Prejudice with and without mHC for the"
                + " same steps; report held-out perplexity.")
final class RunPrideCommand implements Callable<Integer> {

    @Option(names = "--text", defaultValue = "data/austen_lm.txt") Path text;
    @Option(names = "--tokenizer", defaultValue = "data/gpt2-tokenizer") Path tokenizer;
    @Option(names = "--block", defaultValue = "64", description = "tokens per block") int block;
    @Option(names = "--train-blocks", defaultValue = "800") int trainBlocks;
    @Option(names = "--epochs", defaultValue = "2") int epochs;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = "--seed", defaultValue = "13") long seed;

    @Override
    public Integer call() throws Exception {
        PrideRun.run(text, tokenizer, false, block, epochs, trainBlocks, lr, seed, System.out);
        PrideRun.run(text, tokenizer, true, block, epochs, trainBlocks, lr, seed, System.out);
        return 0;
    }
}
