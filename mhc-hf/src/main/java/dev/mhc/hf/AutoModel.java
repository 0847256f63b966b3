package dev.mhc.hf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mhc.core.io.SafetensorsCheckpoint;
import dev.mhc.core.io.TensorSource;
import dev.mhc.core.io.WeightLoader;
import dev.mhc.core.logging.QuietLogging;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.MemoryBudget;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.bert.BertFamily;
import dev.mhc.hf.bert.BertModel;
import dev.mhc.hf.config.ConfigException;
import dev.mhc.hf.config.HfConfigs;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.onnx.ImportCache;
import dev.mhc.hf.onnx.OnnxBertConfig;
import dev.mhc.hf.onnx.OnnxBertImport;
import dev.mhc.hf.patches.PatchStage;
import dev.mhc.hf.registry.Architecture;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Hugging Face's {@code AutoModel.from_pretrained} for checkpoint directories: config.json's
 * {@code model_type} picks the family in the {@link ModelRegistry}, its {@code architectures}
 * the model class; overrides and pre-init patches shape the config, the architecture is built,
 * the weights are loaded by name, and post-init patches run on the result.
 */
public final class AutoModel {

    static {
        QuietLogging.apply(); // before the engine starts and logs
    }

    private AutoModel() {}

    public static PretrainedModel fromPretrained(Path dir) throws IOException {
        return fromPretrained(dir, LoadOptions.defaults());
    }

    /** Builds the model of {@code dir}'s config.json and loads its safetensors weights. */
    public static PretrainedModel fromPretrained(Path dir, LoadOptions options) throws IOException {
        return build(dir, options, WeightSource.LOADED);
    }

    /** Builds the model of {@code dir}'s config.json with random (HF-style) initial weights. */
    public static PretrainedModel fromConfig(Path dir, LoadOptions options) throws IOException {
        return build(dir, options, WeightSource.RANDOM);
    }

    public static PretrainedModel fromConfig(Path dir) throws IOException {
        return fromConfig(dir, LoadOptions.defaults());
    }

    /**
     * Builds the module tree of {@code dir}'s config.json without allocating a weight: to inspect it or
     * to inject into it and save what was injected (adapters made afterwards get arrays, in the
     * model's manager). Answers at once, with flat memory, for a config of any size; the model cannot
     * compute. Post-init patches run on it.
     */
    public static PretrainedModel structure(Path dir, LoadOptions options) throws IOException {
        return build(dir, options, WeightSource.NONE);
    }

    /**
     * A {@code BertModel} with the weights of a BERT-family ONNX export (config read off the
     * graph; a pooler only if the export has one).
     */
    public static PretrainedModel fromOnnx(Path onnxFile) throws IOException {
        return fromOnnx(onnxFile, LoadOptions.defaults());
    }

    /** As {@link #fromOnnx(Path)}; strictness and the architecture do not apply (the import is a BertModel). */
    public static PretrainedModel fromOnnx(Path onnxFile, LoadOptions options) throws IOException {
        return fromOnnx(OnnxBertImport.fromFile(onnxFile), onnxFile.toString(), options);
    }

    /** The embedded default model, all-MiniLM-L6-v2, from its Maven artifact (no download). */
    public static PretrainedModel miniLm() throws IOException {
        return miniLm(LoadOptions.defaults());
    }

    /** As {@link #miniLm()}; strictness and the architecture do not apply (the import is a BertModel). */
    public static PretrainedModel miniLm(LoadOptions options) throws IOException {
        try (ImportCache.Entry weights = ImportCache.resource(AllMiniLmL6V2.ONNX_RESOURCE)) {
            return fromOnnx(weights.config(), weights.tensors(), "all-MiniLM-L6-v2 (embedded)", options);
        }
    }

    private static PretrainedModel fromOnnx(OnnxBertImport imported, String source, LoadOptions options)
            throws IOException {
        return fromOnnx(imported.config(), imported.tensors(), source, options);
    }

    private static PretrainedModel fromOnnx(OnnxBertConfig onnxConfig, TensorSource tensors, String source,
            LoadOptions options) throws IOException {
        ModelFamily<BertConfig> family = BertFamily.FAMILY;
        Configured<BertConfig> configured = configure(family, onnxConfig.toConfigTree(), source, options);
        BertConfig config = configured.config();
        boolean pooler = tensors.contains("pooler.dense.weight");
        BertModel model = new BertModel(config, pooler);
        NDManager manager = newManager(options);
        try {
            WeightLoader.Report report = WeightLoader.load(model, tensors, manager, "", false,
                    options.allowNonFiniteWeights);
            if (!report.missing().isEmpty()) {
                throw new WeightLoader.CheckpointMismatchException(
                        source + " lacks BertModel weights " + report.missing());
            }
            postInit(family, model, options);
            return new PretrainedModel(source, family, family.architecture("BertModel"), config, model, manager,
                    new LoadReport(report, configured.unknownKeys()));
        } catch (IOException | RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /** The model's manager, on the device the options ask for, refused when PyTorch does not see it. */
    private static NDManager newManager(LoadOptions options) {
        if (options.device == null) {
            return NDManager.newBaseManager();
        }
        int gpus = Engine.getInstance().getGpuCount();
        if (options.device.isGpu() && options.device.getDeviceId() >= gpus) {
            throw new IllegalArgumentException("cannot load onto " + options.device + ": PyTorch sees " + gpus
                    + " GPU(s). Put DJL's CUDA build of PyTorch (ai.djl.pytorch:pytorch-native-cu*, see"
                    + " docs/scaling.md) on the classpath in place of pytorch-native-cpu, or load on Device.cpu()");
        }
        return NDManager.newBaseManager(options.device);
    }

    /** Where a build's weights come from. */
    private enum WeightSource {
        /** The checkpoint's safetensors. */
        LOADED,
        /** HF-style random initialisation, drawn with the options' seed. */
        RANDOM,
        /** None: the structure only, whose later adapters take the model's manager. */
        NONE
    }

    private static PretrainedModel build(Path dir, LoadOptions options, WeightSource weights) throws IOException {
        ObjectNode tree = HfConfigs.readTree(dir);
        if (weights == WeightSource.LOADED) {
            CheckpointWeights checkpoint = CheckpointWeights.of(dir);
            if (!checkpoint.readable()) {
                throw checkpoint.unreadable(dir);
            }
        }
        String source = dir.resolve(HfConfigs.CONFIG_FILE).toString();
        ModelFamily<?> family = options.registry.family(HfConfigs.modelType(tree, source));
        return build(dir, family, tree, source, options, weights);
    }

    private static <C> PretrainedModel build(
            Path dir,
            ModelFamily<C> family,
            ObjectNode tree,
            String source,
            LoadOptions options,
            WeightSource weights)
            throws IOException {
        Configured<C> configured = configure(family, tree, source, options);
        C config = configured.config();
        Architecture<C> architecture =
                options.architecture != null
                        ? family.architecture(options.architecture)
                        : family.resolve(HfConfigs.architectures(tree, source));
        Block block = architecture.create(config);
        if (weights != WeightSource.NONE) {
            MemoryBudget.check(MemoryBudget.elementsOf(ModuleTree.parameters(block).values()), source
                    + " describes a model that", "load a smaller one, or fewer layers (--override"
                    + " model.num_hidden_layers=N)");
        }
        NDManager manager = newManager(options);
        try {
            WeightLoader.Report report = new WeightLoader.Report(List.of(), List.of(), List.of(), List.of());
            manager.getEngine().setRandomSeed((int) options.seed); // random weights are the same on every load
            if (weights == WeightSource.LOADED) {
                try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
                    report = WeightLoader.load(block, checkpoint, manager, family.basePrefix(), options.strict,
                            options.allowNonFiniteWeights);
                }
            } else if (weights == WeightSource.RANDOM) {
                Weights.initialize(block, manager);
            } else if (block instanceof Module root) {
                root.parameterManager(manager);
            }
            postInit(family, block, options);
            return new PretrainedModel(dir.toString(), family, architecture, config, block, manager,
                    new LoadReport(report, configured.unknownKeys()));
        } catch (IOException | RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /** A bound config and the keys of its file that no one read. */
    private record Configured<C>(C config, List<String> unknownKeys) {}

    /**
     * The config to build from: patch options checked, overrides bound, every key accounted for
     * (unknown ones refused under strict config), pre-init patches run.
     */
    private static <C> Configured<C> configure(ModelFamily<C> family, ObjectNode tree, String source,
            LoadOptions options) {
        for (LoadOptions.PatchCall call : options.patches) {
            options.patchRegistry.checkOptions(family.modelType(), call.name(), call.options());
        }
        JsonNode bound = options.overrides.isEmpty() ? tree : options.overrides.applyTo(tree, family.configClass());
        C config = HfConfigs.bind(bound, family.configClass(), options.overrides.describe(source));
        List<String> unknown = family.configKeys().check(bound, family.configClass(), config, source);
        if (options.strictConfig && !unknown.isEmpty()) {
            throw new ConfigException(source + " has keys this library does not read: " + unknown + "; they may"
                    + " change what the model computes. Remove them if they are inert, or load without strict"
                    + " config to go on (the load report lists them)");
        }
        for (LoadOptions.PatchCall call : options.patches) {
            if (options.patchRegistry.stage(family.modelType(), call.name()).orElse(null) == PatchStage.PRE_INIT) {
                config = options.patchRegistry.applyPreInit(family.modelType(), call.name(), config, call.options());
            }
        }
        return new Configured<>(config, unknown);
    }

    /** Runs the post-init patches on the loaded model. */
    private static void postInit(ModelFamily<?> family, Block block, LoadOptions options) {
        for (LoadOptions.PatchCall call : options.patches) {
            if (options.patchRegistry.stage(family.modelType(), call.name()).orElse(null) != PatchStage.PRE_INIT) {
                options.patchRegistry.applyPostInit(family.modelType(), call.name(), block, call.options());
            }
        }
    }
}
