package dev.mhc.cli;

import dev.mhc.examples.runs.PrideRun;
import dev.mhc.examples.runs.RunRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mhc run-pride}: a small GPT-2 on Pride & Prejudice, with and without mHC. */
@Command(name = "run-pride", mixinStandardHelpOptions = true,
        description = "Train a small GPT-2 (real GPT-2 tokenizer) on Pride & Prejudice with and without mHC for the"
                + " same steps; report held-out perplexity.")
final class RunPrideCommand implements Callable<Integer> {

    @Mixin PrideOptions options;

    @Override
    public Integer call() throws Exception {
        RunRecord record = PrideRun.sweep(options.text, options.tokenizer, options.block, options.epochs,
                options.trainBlocks, options.lr, options.seeds, System.out);
        if (options.json != null) {
            record.write(options.json);
        }
        return 0;
    }
}
