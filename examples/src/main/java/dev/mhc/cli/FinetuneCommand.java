package dev.mhc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mhc.cli.config.RunConfig;
import dev.mhc.cli.config.RunConfigFiles;
import dev.mhc.cli.config.RunConfigSchema;
import dev.mhc.core.train.Accuracy;
import dev.mhc.core.train.Evaluator;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.MeanLoss;
import dev.mhc.core.train.TrainingHistory;
import dev.mhc.examples.Commit;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.finetune.RunFiles;
import dev.mhc.hf.finetune.SequenceClassifierTraining;
import dev.mhc.hf.finetune.TaskTraining;
import dev.mhc.hf.generate.CausalLanguageModel;
import dev.mhc.hf.task.CausalLmData;
import dev.mhc.hf.task.ImageClassificationData;
import dev.mhc.hf.task.Splits;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mhc finetune}: fine-tune LoRA and/or mHC and a head on a task, writing what was learned,
 * the resolved run ({@code resolved_config.yaml}) and its losses ({@code metrics.json}). The run
 * comes from {@code --config FILE} and the flags; a flag given wins over the file.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune with LoRA and/or mHC: seq-cls (a BERT-family encoder + a head on its mean-pooled"
                + " embedding), image-cls (ViT + head), causal-lm (GPT-2, Gemma 3, Llama, Qwen2, Qwen3); writes what"
                + " trained, resolved_config.yaml and metrics.json to --out. A run can be one YAML file (--config);"
                + " flags given override its values.")
final class FinetuneCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "MODEL",
            description = "a checkpoint directory, an .onnx file, or minilm (model.path)")
    String model;
    @Option(names = "--config", paramLabel = "FILE", description = "a run config (YAML); see examples/configs")
    Path config;
    @Mixin LoadFlags load;
    @Option(names = "--random-weights", description = "model.random_weights") Boolean randomWeights;
    @Option(names = "--device", description = "model.device: cpu, gpu or gpu:N") String device;
    @Option(names = "--allow-non-finite-weights", description = "model.allow_non_finite_weights")
    Boolean allowNonFiniteWeights;
    @Option(names = "--task", description = "data.task: seq-cls (default), image-cls or causal-lm") String task;
    @Option(names = "--data", description = "data.file: seq-cls JSONL (text, label); image-cls CSV of pixels + label;"
            + " causal-lm plain text") String data;
    @Option(names = "--max-value", description = "data.max_value, image-cls: the largest pixel value (255)") Double maxValue;
    @Option(names = "--block", description = "data.block, causal-lm: tokens per block (128)") Integer block;
    @Option(names = "--text-field", description = "data.text_field (text)") String textField;
    @Option(names = "--label-field", description = "data.label_field (label)") String labelField;
    @Option(names = "--max-length", description = "data.max_length (128)") Integer maxLength;
    @Option(names = "--max-examples", description = "data.max_examples: seq-cls, at most this many examples drawn"
            + " with the seed; causal-lm, the first this many blocks (0: all)") Integer maxExamples;
    @Option(names = "--validation-split", description = "data.validation_split: the share held out and scored"
            + " after every epoch (0: none)") Double validationSplit;
    @Option(names = "--lora-rank", description = "lora.r (0: no LoRA)") Integer loraRank;
    @Option(names = "--lora-targets", split = ",", description = "lora.target_modules (query,value; all-linear:"
            + " every linear layer but the output head)")
    List<String> loraTargets;
    @Option(names = "--lora-alpha", description = "lora.alpha (2 r)") Double loraAlpha;
    @Option(names = "--lora-rslora", description = "lora.use_rslora: scale by alpha / sqrt(r)") Boolean loraRslora;
    @Option(names = "--lora-dora", description = "lora.use_dora: DoRA (a learned magnitude per output row)")
    Boolean loraDora;
    @Option(names = "--target", description = "mhc.target: the layer class for the connections, e.g. BertLayer")
    String target;
    @Option(names = "--mode", description = "mhc.mode: history (default), hc or mhc") String mode;
    @Option(names = "--history", description = "mhc.history: H, for --mode history (4)") Integer history;
    @Option(names = "--streams", description = "mhc.streams: n, for --mode hc and mhc (4)") Integer streams;
    @Option(names = "--static", description = "mhc.static: hc and mhc without their token-dependent parts")
    Boolean staticOnly;
    @Option(names = "--epochs", description = "training.epochs (3)") Integer epochs;
    @Option(names = "--batch-size", description = "training.batch_size (16)") Integer batchSize;
    @Option(names = "--lr", description = "training.lr: the head's learning rate (5e-3)") Double lr;
    @Option(names = "--lora-lr", description = "training.lora_lr (1e-3)") Double loraLr;
    @Option(names = "--mhc-lr", description = "training.mhc_lr: mixing weights (2e-2; a tenth of it in epoch 1)")
    Double mhcLr;
    @Option(names = "--seed", description = "training.seed and data.seed (13)") Long seed;
    @Option(names = "--out", description = "out: the directory the run writes") String out;
    @Option(names = "--print-schema", description = "print the run config's JSON Schema (for editors) and exit")
    boolean printSchema;

    @Override
    public Integer call() throws Exception {
        if (printSchema) {
            System.out.print(RunConfigSchema.generate());
            return 0;
        }
        RunConfig run = resolve();
        OutputDirectory.check(run.outPath(), List.of(run.model().path(), run.data().file(),
                config == null ? "" : config.toString()));
        switch (run.data().task()) {
            case "seq-cls" -> sequenceClassification(run);
            case "image-cls" -> imageClassification(run);
            default -> causalLm(run);
        }
        return 0;
    }

    /** The run's settings and metrics, written in one unit with what it trained. */
    private static RunFiles runFiles(RunConfig run, Map<String, byte[]> more) throws IOException {
        byte[] resolved = RunConfigFiles.resolvedYaml(run.withProvenance(new RunConfig.Provenance(Commit.current())));
        return history -> {
            Map<String, byte[]> files = new LinkedHashMap<>(more);
            files.put(RunConfigFiles.RESOLVED, resolved);
            files.put("metrics.json", Json.of(metrics(run, history)).getBytes(StandardCharsets.UTF_8));
            return files;
        };
    }

    /** The file's values with the flags given laid over them, bound and checked before anything loads. */
    RunConfig resolve() throws IOException {
        ObjectNode tree = config == null ? RunConfigFiles.emptyTree() : RunConfigFiles.readTree(config);
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("model.path", model);
        flags.put("model.random_weights", randomWeights);
        flags.put("model.device", device);
        flags.put("model.allow_non_finite_weights", allowNonFiniteWeights);
        flags.put("model.strict_config", load.strictConfig ? true : null);
        flags.put("data.task", task);
        flags.put("data.file", data);
        flags.put("data.max_value", maxValue);
        flags.put("data.block", block);
        flags.put("data.text_field", textField);
        flags.put("data.label_field", labelField);
        flags.put("data.max_length", maxLength);
        flags.put("data.max_examples", maxExamples);
        flags.put("data.validation_split", validationSplit);
        flags.put("lora.r", loraRank);
        flags.put("lora.target_modules", loraTargets);
        flags.put("lora.alpha", loraAlpha);
        flags.put("lora.use_rslora", loraRslora);
        flags.put("lora.use_dora", loraDora);
        flags.put("mhc.target", target);
        flags.put("mhc.mode", mode);
        flags.put("mhc.history", history);
        flags.put("mhc.streams", streams);
        flags.put("mhc.static", staticOnly);
        flags.put("training.epochs", epochs);
        flags.put("training.batch_size", batchSize);
        flags.put("training.lr", lr);
        flags.put("training.lora_lr", loraLr);
        flags.put("training.mhc_lr", mhcLr);
        flags.put("training.seed", seed);
        flags.put("data.seed", seed);
        flags.put("out", out);
        flags.forEach((path, value) -> {
            if (value != null) {
                RunConfigFiles.set(tree, path, value);
            }
        });
        load.overrides().forEach((key, value) -> RunConfigFiles.setOverride(tree, key, value));
        load.patchCalls().forEach(p -> RunConfigFiles.addPatch(tree, p.name(), p.options()));
        return RunConfigFiles.bind(tree, config == null ? "the command line" : config.toString());
    }

    /** Random weights (a config-only model, a new head) drawn with the run's seed, before anything else. */
    private PretrainedModel open(RunConfig run, LoadOptions options) throws IOException {
        return Models.openForCompute(run.model().path(), run.model().randomWeights(), run.model().device(),
                options.seed(run.training().seed()));
    }

    /** A BERT-family encoder with a new head on its mean-pooled embedding. */
    private TrainingHistory sequenceClassification(RunConfig run) throws Exception {
        SequenceClassifierTraining training = new SequenceClassifierTraining(run.lora().config(),
                run.mhc().connections(), run.training().settings()).maxExamples(run.data().maxExamples())
                .validationSplit(run.data().validationSplit()).dataSeed(run.data().seed()).runFiles(runFiles(run, Map.of()));
        try (PretrainedModel encoder = open(run, run.model().loadOptions());
                TextTokenizer tokenizer = Models.tokenizer(run.model().path(), run.data().maxLength())) {
            return training.run(encoder, tokenizer, run.data().path(), run.data().textField(), run.data().labelField(),
                    run.outPath(), System.out);
        }
    }

    /** A ViT checkpoint (or, with random weights, a config-only directory) with a new classification head. */
    private TrainingHistory imageClassification(RunConfig run) throws Exception {
        ImageClassificationData images = ImageClassificationData.fromCsv(run.data().path(), run.data().labelField(),
                run.data().maxValue());
        Map<String, String> id2label = new LinkedHashMap<>();
        for (int i = 0; i < images.classes().size(); i++) {
            id2label.put(Integer.toString(i), images.classes().get(i));
        }
        Map<String, Object> overrides = new LinkedHashMap<>(run.model().modelOverrides());
        overrides.put("model.id2label", id2label);
        LoadOptions options = run.model().loadOptions().architecture("ViTForImageClassification").strict(false)
                .overrides(overrides);
        ImageClassificationData train = images;
        ImageClassificationData validation = null;
        if (run.data().validationSplit() > 0) {
            int[][] split = Splits.stratified(images.size(), images::label, run.data().validationSplit(),
                    run.data().seed());
            train = images.subset(split[0]);
            validation = images.subset(split[1]);
        }
        try (PretrainedModel vit = open(run, options)) {
            ImageClassificationData held = validation;
            Evaluator accuracy = held == null ? null : m -> Accuracy.of(m, held, vit.manager(), 32);
            byte[] labels = Json.of(images.classes()).getBytes(StandardCharsets.UTF_8);
            return training(run).run(vit, "classifier.", train, accuracy, Loss.softmaxCrossEntropy(), run.outPath(),
                    runFiles(run, Map.of("labels.json", labels)), System.out);
        }
    }

    /** A causal LM checkpoint trained on plain text packed into blocks. */
    private TrainingHistory causalLm(RunConfig run) throws Exception {
        try (PretrainedModel lm = open(run, run.model().loadOptions());
                TextTokenizer tokenizer = Models.tokenizer(run.model().path(), 0)) {
            if (!(lm.block() instanceof CausalLanguageModel causal)) {
                throw new IllegalArgumentException(lm.architecture() + " is not a causal LM");
            }
            if (causal.eosTokenIds().isEmpty()) {
                throw new IllegalArgumentException(lm.source() + "/config.json names no eos_token_id, the token put"
                        + " between documents; add one (the tokenizer's end-of-text id)");
            }
            long separator = causal.eosTokenIds().iterator().next();
            CausalLmData blocks = CausalLmData.fromText(run.data().path(), tokenizer, run.data().block(), separator);
            int max = run.data().maxExamples();
            if (max > 0 && max < blocks.size()) {
                blocks = blocks.range(0, max);
            }
            Evaluator heldOutLoss = null;
            int held = (int) Math.round(blocks.size() * run.data().validationSplit());
            if (held > 0) {
                CausalLmData validation = blocks.range(blocks.size() - held, blocks.size());
                blocks = blocks.range(0, blocks.size() - held);
                heldOutLoss = m -> -MeanLoss.of(m, validation, Loss.causalLm(), lm.manager(), 8);
            }
            return training(run).run(lm, null, blocks, heldOutLoss, Loss.causalLm(), run.outPath(), runFiles(run, Map.of()),
                    System.out);
        }
    }

    private static TaskTraining training(RunConfig run) {
        return new TaskTraining(run.lora().config(), run.mhc().connections(), run.training().settings());
    }

    /**
     * The epoch losses and, with a validation split, the held-out score of each epoch: what a
     * repeated run must reproduce exactly (times left out).
     */
    private static Map<String, Object> metrics(RunConfig run, TrainingHistory history) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        List<Double> losses = history.epochs().stream().map(TrainingHistory.Epoch::loss).toList();
        metrics.put("epoch_losses", losses);
        metrics.put("final_loss", losses.get(losses.size() - 1));
        if (run.data().validationSplit() > 0) {
            boolean lm = run.data().task().equals("causal-lm");
            // The trainer's metric is higher-is-better: the negated loss for a causal LM.
            metrics.put(lm ? "validation_losses" : "validation_accuracies", history.epochs().stream()
                    .map(e -> lm ? -e.metric() : e.metric()).toList());
        }
        return metrics;
    }
}
