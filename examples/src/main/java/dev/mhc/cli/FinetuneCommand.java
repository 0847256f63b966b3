package dev.mhc.cli;

import dev.mhc.examples.runs.SequenceClassifierTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mhc finetune}: fine-tune LoRA and/or mHC and a head on a task, writing what was learned. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a BERT-family encoder for sequence classification (JSONL) with a linear head on its"
                + " mean-pooled embedding, LoRA and/or mHC; writes the head, adapters and mhc directory to --out.")
final class FinetuneCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL") String model;
    @Option(names = "--task", defaultValue = "seq-cls", description = "seq-cls (image-cls and causal-lm: see run-digits, run-pride)")
    String task;
    @Option(names = "--data", required = true, description = "JSONL with a text and a label field") Path data;
    @Option(names = "--text-field", defaultValue = "text") String textField;
    @Option(names = "--label-field", defaultValue = "label") String labelField;
    @Option(names = "--lora-rank", defaultValue = "0", description = "0 = no LoRA") int loraRank;
    @Option(names = "--lora-targets", defaultValue = "query,value", split = ",") List<String> loraTargets;
    @Option(names = "--target", description = "layer class for mHC, e.g. BertLayer (none: no mHC)") String target;
    @Option(names = "--history", defaultValue = "4") int history;
    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--batch-size", defaultValue = "16") int batchSize;
    @Option(names = "--max-length", defaultValue = "128") int maxLength;
    @Option(names = "--lr", defaultValue = "5e-3", description = "head learning rate") double lr;
    @Option(names = "--lora-lr", defaultValue = "1e-3") double loraLr;
    @Option(names = "--mhc-lr", defaultValue = "2e-2", description = "mixing weights (a tenth of it in epoch 1)")
    double mhcLr;
    @Option(names = "--seed", defaultValue = "13") long seed;
    @Option(names = "--out", required = true) Path out;

    @Override
    public Integer call() throws Exception {
        if (!task.equals("seq-cls")) {
            throw new IllegalArgumentException("--task " + task + " is not available from finetune yet; use seq-cls, or"
                    + " the run-digits / run-pride commands for image classification and causal LM");
        }
        new SequenceClassifierTraining(loraRank, loraTargets, target, history, epochs, batchSize, lr, loraLr, mhcLr,
                seed).run(model, data, textField, labelField, maxLength, out, System.out);
        return 0;
    }
}
