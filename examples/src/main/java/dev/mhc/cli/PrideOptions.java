package dev.mhc.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The training-run options {@code run-pride} and {@code run-streams} share. */
final class PrideOptions {

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
}
