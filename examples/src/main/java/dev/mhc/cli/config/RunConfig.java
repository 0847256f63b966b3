package dev.mhc.cli.config;

import static dev.mhc.cli.config.RunChecks.atLeast;
import static dev.mhc.cli.config.RunChecks.inRange;
import static dev.mhc.cli.config.RunChecks.oneOf;
import static dev.mhc.cli.config.RunChecks.positive;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mhc.core.inject.Constraint;
import dev.mhc.core.inject.MhcConfig;
import dev.mhc.core.streams.StreamsConfig;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.config.ConfigOverrides;
import dev.mhc.hf.finetune.Connections;
import dev.mhc.hf.finetune.TrainingSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One fine-tuning run: the model (and how to load it), the connections, LoRA, the data and the
 * training, and where the outputs go. Absent sections and keys take the defaults the {@code mhc
 * finetune} flags have; impossible values are refused naming the key.
 *
 * @param provenance written into resolved configs (the commit that ran); ignored when read
 */
public record RunConfig(Model model, Mhc mhc, Lora lora, Data data, Training training, String out,
        Provenance provenance) {

    public RunConfig {
        if (model == null) {
            throw new IllegalArgumentException("model is required: model.path names a checkpoint directory, an .onnx"
                    + " file or minilm");
        }
        mhc = mhc == null ? new Mhc(null, null, null, null, null, null, null, null, null) : mhc;
        lora = lora == null ? new Lora(null, null, null, null, null, null, null, null, null, null, null, null) : lora;
        if (data == null) {
            throw new IllegalArgumentException("data is required: data.file names the training data");
        }
        training = training == null ? new Training(null, null, null, null, null, null, null, null, null, null) : training;
        if (data.seed() == null) {
            data = new Data(data.file(), data.task(), data.textField(), data.labelField(), data.maxLength(),
                    data.maxExamples(), data.validationSplit(), training.seed(), data.block(), data.maxValue());
        }
        if (out == null || out.isBlank()) {
            throw new IllegalArgumentException("out is required: the directory the run writes");
        }
        if (data.maxExamples() > 0 && data.task().equals("image-cls")) {
            throw new IllegalArgumentException("data.max_examples applies to the seq-cls and causal-lm tasks, not image-cls");
        }
    }

    /** A named patch and its options. */
    public record Patch(String name, Map<String, Object> options) {
        public Patch {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("model.patches[].name is required (e.g. mhc)");
            }
            options = options == null ? Map.of() : new LinkedHashMap<>(options);
        }
    }

    /**
     * @param path a checkpoint directory, an .onnx file, or {@code minilm}
     * @param modelOverrides config.json changes, as flat {@code model.KEY} keys or nested under {@code model}
     */
    public record Model(String path, Boolean randomWeights, String device, Boolean allowNonFiniteWeights,
            Boolean strictConfig, Map<String, Object> modelOverrides, List<Patch> patches) {
        public Model {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("model.path is required: a checkpoint directory, an .onnx file or minilm");
            }
            randomWeights = randomWeights != null && randomWeights;
            allowNonFiniteWeights = allowNonFiniteWeights != null && allowNonFiniteWeights;
            strictConfig = strictConfig != null && strictConfig;
            modelOverrides = modelOverrides == null ? Map.of() : new LinkedHashMap<>(modelOverrides);
            ConfigOverrides.of(modelOverrides); // refuses keys outside model.*
            patches = patches == null ? List.of() : List.copyOf(patches);
        }

        /** @return the load options these settings ask for (device aside) */
        public LoadOptions loadOptions() {
            LoadOptions options = LoadOptions.defaults().allowNonFiniteWeights(allowNonFiniteWeights)
                    .strictConfig(strictConfig);
            if (!modelOverrides.isEmpty()) {
                options.overrides(modelOverrides);
            }
            patches.forEach(p -> options.patch(p.name(), p.options()));
            return options;
        }
    }

    /**
     * The connections: none without a target; {@code history} (mixing over H earlier layers), or
     * {@code hc} / {@code mhc} (n streams). Epsilon, constraint, gate and detach are history's.
     */
    public record Mhc(String mode, String target, Integer history, Integer streams,
            @JsonProperty("static") Boolean staticOnly, String constraint, Double epsilon, Boolean gate,
            Boolean detach) {
        public Mhc {
            mode = oneOf("mhc.mode", mode, "history", "history", "hc", "mhc");
            history = atLeast("mhc.history", history, MhcConfig.DEFAULT_HISTORY, MhcConfig.MIN_HISTORY);
            streams = atLeast("mhc.streams", streams, StreamsConfig.DEFAULT_STREAMS, 1);
            staticOnly = staticOnly != null && staticOnly;
            constraint = oneOf("mhc.constraint", constraint, "identity", constraintNames());
            epsilon = inRange("mhc.epsilon", epsilon, MhcConfig.DEFAULT_EPSILON, 0, 1);
            gate = gate != null && gate;
            detach = detach != null && detach;
            connections(target, mode, history, streams, staticOnly, constraint, epsilon, gate, detach);
        }

        private static String[] constraintNames() {
            return java.util.Arrays.stream(Constraint.values()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toArray(String[]::new);
        }

        private static Connections connections(String target, String mode, int history, int streams, boolean staticOnly,
                String constraint, double epsilon, boolean gate, boolean detach) {
            return new Connections(Connections.Mode.parse(mode), target, history, streams, staticOnly, epsilon,
                    Constraint.parse(constraint), gate, detach);
        }

        public Connections connections() {
            return connections(target, mode, history, streams, staticOnly, constraint, epsilon, gate, detach);
        }
    }

    /**
     * LoRA in PEFT's terms; r 0 trains no adapters. Alpha defaults to 2 r. {@code target_modules:
     * [all-linear]} adapts every linear layer but the output head; the rest are PEFT's options of the
     * same names (see {@link LoraConfig}).
     */
    public record Lora(Integer r, Double alpha, Double dropout, List<String> targetModules, Boolean useRslora,
            Boolean useDora, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern,
            List<String> excludeModules, List<Integer> layersToTransform, List<String> layersPattern,
            List<String> modulesToSave) {
        public Lora {
            r = atLeast("lora.r", r, 0, 0);
            alpha = r == 0 ? (alpha == null ? 0.0 : alpha) : positive("lora.alpha", alpha, 2.0 * r);
            dropout = inRange("lora.dropout", dropout, 0, 0, 1);
            targetModules = targetModules == null ? List.of("query", "value") : List.copyOf(targetModules);
            if (targetModules.isEmpty()) {
                throw new IllegalArgumentException("lora.target_modules must name at least one module, e.g. [query, value]");
            }
            useRslora = useRslora != null && useRslora;
            useDora = useDora != null && useDora;
            rankPattern = rankPattern == null ? Map.of() : new LinkedHashMap<>(rankPattern);
            alphaPattern = alphaPattern == null ? Map.of() : new LinkedHashMap<>(alphaPattern);
            excludeModules = excludeModules == null ? List.of() : List.copyOf(excludeModules);
            layersToTransform = layersToTransform == null ? List.of() : List.copyOf(layersToTransform);
            layersPattern = layersPattern == null ? List.of() : List.copyOf(layersPattern);
            modulesToSave = modulesToSave == null ? List.of() : List.copyOf(modulesToSave);
            if (r > 0) { // LoraConfig's own checks, with its messages
                config(r, alpha, dropout, targetModules, useRslora, useDora, rankPattern, alphaPattern, excludeModules,
                        layersToTransform, layersPattern, modulesToSave);
            }
        }

        /** @return the adapters to inject, or {@code null} for none */
        public LoraConfig config() {
            return r == 0 ? null : config(r, alpha, dropout, targetModules, useRslora, useDora, rankPattern,
                    alphaPattern, excludeModules, layersToTransform, layersPattern, modulesToSave);
        }

        private static LoraConfig config(int r, double alpha, double dropout, List<String> targetModules,
                boolean useRslora, boolean useDora, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern,
                List<String> excludeModules, List<Integer> layersToTransform, List<String> layersPattern,
                List<String> modulesToSave) {
            return LoraConfig.of(r, alpha, dropout, targetModules).withRslora(useRslora).withDora(useDora)
                    .withPatterns(rankPattern, alphaPattern).withExcluded(excludeModules, null)
                    .withLayers(layersToTransform, layersPattern).withModulesToSave(modulesToSave);
        }
    }

    /**
     * @param task seq-cls (JSONL of text and label), image-cls (CSV of pixels and label) or
     *     causal-lm (plain text packed into blocks)
     * @param maxExamples seq-cls: at most this many examples drawn with the data seed;
     *     causal-lm: the first this many blocks; 0: all
     * @param validationSplit the share held out and scored after every epoch (seq-cls and image-cls:
     *     accuracy on a stratified draw; causal-lm: the loss on the last blocks); 0: none
     * @param seed the seed of the data's draws (max_examples, validation_split); the training seed
     *     when absent
     */
    public record Data(String file, String task, String textField, String labelField, Integer maxLength,
            Integer maxExamples, Double validationSplit, Long seed, Integer block, Double maxValue) {
        public Data {
            if (file == null || file.isBlank()) {
                throw new IllegalArgumentException("data.file is required: the training data");
            }
            task = oneOf("data.task", task, "seq-cls", "seq-cls", "image-cls", "causal-lm");
            textField = textField == null ? "text" : textField;
            labelField = labelField == null ? "label" : labelField;
            maxLength = atLeast("data.max_length", maxLength, 128, 2);
            maxExamples = atLeast("data.max_examples", maxExamples, 0, 0);
            validationSplit = inRange("data.validation_split", validationSplit, 0, 0, 0.5);
            block = atLeast("data.block", block, 128, 2);
            maxValue = positive("data.max_value", maxValue, 255);
        }

        public Path path() {
            return Path.of(file);
        }
    }

    /**
     * @param lr the head's learning rate (with LoRA) or every weight's (without)
     * @param checkpoints a directory for a checkpoint after every epoch, or none
     */
    public record Training(Integer epochs, Integer batchSize, Double lr, Double loraLr, Double mhcLr,
            Integer mhcWarmupEpochs, Integer accumulation, Double maxGradNorm, Long seed, String checkpoints) {
        public Training {
            TrainingSettings d = TrainingSettings.defaults();
            epochs = atLeast("training.epochs", epochs, d.epochs(), 1);
            batchSize = atLeast("training.batch_size", batchSize, d.batchSize(), 1);
            lr = positive("training.lr", lr, d.lr());
            loraLr = positive("training.lora_lr", loraLr, d.loraLr());
            mhcLr = positive("training.mhc_lr", mhcLr, d.mhcLr());
            mhcWarmupEpochs = atLeast("training.mhc_warmup_epochs", mhcWarmupEpochs, d.mhcWarmupEpochs(), 0);
            accumulation = atLeast("training.accumulation", accumulation, d.accumulation(), 1);
            maxGradNorm = inRange("training.max_grad_norm", maxGradNorm, d.maxGradNorm(), 0, Double.POSITIVE_INFINITY);
            seed = seed == null ? d.seed() : seed;
        }

        public TrainingSettings settings() {
            return new TrainingSettings(epochs, batchSize, lr, loraLr, mhcLr, mhcWarmupEpochs, accumulation,
                    maxGradNorm, seed, checkpoints == null ? null : Path.of(checkpoints));
        }
    }

    /** Where a resolved config came from. */
    public record Provenance(String commit) {}

    public Path outPath() {
        return Path.of(out);
    }

    /** @return this run as it was resolved, with the commit that ran it */
    public RunConfig withProvenance(Provenance provenance) {
        return new RunConfig(model, mhc, lora, data, training, out, provenance);
    }
}
