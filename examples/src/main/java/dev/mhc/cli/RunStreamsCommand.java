package dev.mhc.cli;

import dev.mhc.examples.runs.PrideRun;
import dev.mhc.examples.runs.RunRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mhc run-streams}: the connection modes side by side on a small GPT-2 and Pride & Prejudice. */
@Command(name = "run-streams", mixinStandardHelpOptions = true,
        description = "Train a small GPT-2 (real GPT-2 tokenizer) on Pride & Prejudice for the same steps: plain, history"
                + " mixing, static HC, dynamic HC and mHC (n = 4); report held-out perplexity and each variant's"
                + " training time against the plain model's, interleaved in one run.")
final class RunStreamsCommand implements Callable<Integer> {

    @Mixin PrideOptions options;

    @Override
    public Integer call() throws Exception {
        RunRecord record = PrideRun.streams(options.text, options.tokenizer, options.block, options.epochs,
                options.trainBlocks, options.lr, options.seeds, System.out);
        if (options.json != null) {
            record.write(options.json);
        }
        return 0;
    }
}
