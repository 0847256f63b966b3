package dev.mhc.cli;

import dev.mhc.examples.runs.PrideRun;
import dev.mhc.examples.runs.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mhc run-streams}: the connection modes side by side on a small GPT-2 and Pride & Prejudice. */
@Command(name = "run-streams", mixinStandardHelpOptions = true,
        description = "Train a small GPT-2 (real GPT-2 tokenizer) on Pride & Prejudice for the same steps: plain, history"
                + " mixing, static HC, dynamic HC and mHC (n = 4); report held-out perplexity and each variant's"
                + " training time against the plain model's, interleaved in one run.")
final class RunStreamsCommand implements Callable<Integer> {

    @Option(names = "--text", defaultValue = "data/austen_lm.txt") Path text;
    @Option(names = "--tokenizer", defaultValue = "data/gpt2-tokenizer") Path tokenizer;
    @Option(names = "--block", defaultValue = "64", description = "tokens per block") int block;
    @Option(names = "--train-blocks", defaultValue = "800") int trainBlocks;
    @Option(names = "--epochs", defaultValue = "2") int epochs;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = {"--seeds", "--seed"}, defaultValue = "13,14,15", split = ",",
            description = "seeds, each a full run of every variant (default: ${DEFAULT-VALUE})") List<Long> seeds;
    @Option(names = "--json", description = "write the record (commit, seeds, config, per-variant values) here")
    Path json;

    @Override
    public Integer call() throws Exception {
        RunRecord record = PrideRun.streams(text, tokenizer, block, epochs, trainBlocks, lr, seeds, System.out);
        if (json != null) {
            record.write(json);
        }
        return 0;
    }
}
