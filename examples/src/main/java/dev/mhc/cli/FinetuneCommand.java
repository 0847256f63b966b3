package dev.mhc.cli;

import dev.mhc.core.train.Loss;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.finetune.Connections;
import dev.mhc.hf.finetune.SequenceClassifierTraining;
import dev.mhc.hf.finetune.TaskTraining;
import dev.mhc.hf.generate.CausalLanguageModel;
import dev.mhc.hf.task.CausalLmData;
import dev.mhc.hf.task.ImageClassificationData;
import dev.mhc.hf.tokenize.TextTokenizer;
import dev.mhc.core.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mhc finetune}: fine-tune LoRA and/or mHC and a head on a task, writing what was learned. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune with LoRA and/or mHC: seq-cls (a BERT-family encoder + a head on its mean-pooled"
                + " embedding), image-cls (ViT + head), causal-lm (GPT-2, Gemma 3, Llama, Qwen2, Qwen3); writes what trained to --out.")
final class FinetuneCommand implements Callable<Integer> {

    @Mixin ModelArgument model;
    @Option(names = "--task", defaultValue = "seq-cls", description = "seq-cls, image-cls or causal-lm")
    String task;
    @Option(names = "--data", required = true,
            description = "seq-cls: JSONL (text, label); image-cls: CSV of pixels + label; causal-lm: plain text")
    Path data;
    @Option(names = "--max-value", defaultValue = "255", description = "image-cls: the largest pixel value") double maxValue;
    @Option(names = "--block", defaultValue = "128", description = "causal-lm: tokens per block") int block;
    @Option(names = "--text-field", defaultValue = "text") String textField;
    @Option(names = "--label-field", defaultValue = "label") String labelField;
    @Option(names = "--lora-rank", defaultValue = "0", description = "0 = no LoRA") int loraRank;
    @Option(names = "--lora-targets", defaultValue = "query,value", split = ",") List<String> loraTargets;
    @Option(names = "--target", description = "layer class for the connections, e.g. BertLayer (none: no connections)")
    String target;
    @Option(names = "--mode", defaultValue = "history",
            description = "history (mixing over H earlier layers), hc or mhc (n parallel streams; pre-norm layers)")
    String mode;
    @Option(names = "--history", defaultValue = "4", description = "H, for --mode history") int history;
    @Option(names = "--streams", defaultValue = "4", description = "n, for --mode hc and mhc") int streams;
    @Option(names = "--static", description = "hc and mhc without their token-dependent parts") boolean staticOnly;
    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--batch-size", defaultValue = "16") int batchSize;
    @Option(names = "--max-length", defaultValue = "128") int maxLength;
    @Option(names = "--lr", defaultValue = "5e-3", description = "head learning rate") double lr;
    @Option(names = "--lora-lr", defaultValue = "1e-3") double loraLr;
    @Option(names = "--mhc-lr", defaultValue = "2e-2", description = "mixing weights (a tenth of it in epoch 1)")
    double mhcLr;
    @Option(names = "--seed", defaultValue = "13") long seed;
    @Option(names = "--max-examples", defaultValue = "0",
            description = "seq-cls: train on at most this many examples, drawn with --seed; causal-lm: on the"
                    + " first this many blocks of the text (default 0: all)")
    int maxExamples;
    @Option(names = "--out", required = true) Path out;

    @Override
    public Integer call() throws Exception {
        connections(); // refuses a bad --mode, --history or --streams before anything loads
        if (maxExamples < 0 || maxExamples != 0 && task.equals("image-cls")) {
            throw new IllegalArgumentException("--max-examples must be >= 0, and applies to --task seq-cls and causal-lm,"
                    + " got " + maxExamples + " with --task " + task);
        }
        switch (task) {
            case "seq-cls" -> sequenceClassification();
            case "image-cls" -> imageClassification();
            case "causal-lm" -> causalLm();
            default -> throw new IllegalArgumentException("--task must be seq-cls, image-cls or causal-lm, got " + task);
        }
        return 0;
    }

    private TaskTraining training(double modelLr) {
        return new TaskTraining(loraRank, loraTargets, connections(), epochs, batchSize, modelLr, loraLr, mhcLr, seed);
    }

    private Connections connections() {
        return new Connections(Connections.Mode.parse(mode), target, history, streams, staticOnly);
    }

    /** A BERT-family encoder with a new head on its mean-pooled embedding. */
    private void sequenceClassification() throws Exception {
        SequenceClassifierTraining training = new SequenceClassifierTraining(loraRank, loraTargets, connections(),
                epochs, batchSize, lr, loraLr, mhcLr, seed).maxExamples(maxExamples); // refuses bad settings before loading
        try (PretrainedModel encoder = model.open(); TextTokenizer tokenizer = model.tokenizer(maxLength)) {
            training.run(encoder, tokenizer, data, textField, labelField, out, System.out);
        }
    }

    /** A ViT checkpoint (or, with --random-weights, a config-only directory) with a new classification head. */
    private void imageClassification() throws Exception {
        ImageClassificationData images = ImageClassificationData.fromCsv(data, labelField, maxValue);
        Map<String, String> id2label = new LinkedHashMap<>();
        for (int i = 0; i < images.classes().size(); i++) {
            id2label.put(Integer.toString(i), images.classes().get(i));
        }
        LoadOptions options = LoadOptions.defaults().architecture("ViTForImageClassification").strict(false)
                .overrides(Map.of("model.id2label", id2label));
        try (PretrainedModel vit = model.open(options)) {
            training(lr).run(vit, "classifier.", images, Loss.softmaxCrossEntropy(), out, System.out);
            AtomicFiles.write(out.resolve("labels.json"), Json.of(images.classes()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A causal LM checkpoint trained on plain text packed into blocks. */
    private void causalLm() throws Exception {
        try (PretrainedModel lm = model.open(); TextTokenizer tokenizer = model.tokenizer(0)) {
            if (!(lm.block() instanceof CausalLanguageModel causal)) {
                throw new IllegalArgumentException(lm.architecture() + " is not a causal LM");
            }
            if (causal.eosTokenIds().isEmpty()) {
                throw new IllegalArgumentException(lm.source() + "/config.json names no eos_token_id, the token put"
                        + " between documents; add one (the tokenizer's end-of-text id)");
            }
            long separator = causal.eosTokenIds().iterator().next();
            CausalLmData blocks = CausalLmData.fromText(data, tokenizer, block, separator);
            if (maxExamples > 0 && maxExamples < blocks.size()) {
                blocks = blocks.range(0, maxExamples);
            }
            training(lr).run(lm, null, blocks, Loss.causalLm(), out, System.out);
        }
    }
}
