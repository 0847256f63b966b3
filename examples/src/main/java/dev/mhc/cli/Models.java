package dev.mhc.cli;

import ai.djl.Device;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.CheckpointWeights;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place the command line opens a MODEL argument: the alias {@code minilm} (the embedded
 * all-MiniLM-L6-v2), an ONNX file, or a checkpoint directory, whose weights are checked by {@link
 * CheckpointWeights}.
 */
final class Models {

    static final String MINILM = "minilm";

    /** What a command needs of a directory's weights. */
    enum Weights {
        /** It computes with them: a directory without readable weights is refused. */
        REQUIRED,
        /** It computes with them, and the user asked for random ones where there are none. */
        RANDOM_IF_ABSENT,
        /** It looks at the structure only (inspect, inject): config.json alone will do, and no weight is read. */
        STRUCTURE_ONLY
    }

    private Models() {}

    /**
     * Opens a model that is computed with: {@code device} chosen as {@code --device} says (a missing
     * GPU falls back with a message), random weights for a config-only directory only when asked.
     */
    static PretrainedModel openForCompute(String model, boolean randomWeights, String device, LoadOptions options)
            throws IOException {
        Device chosen = Devices.choose(device, System.err);
        if (chosen != null) {
            options.device(chosen);
        }
        return open(model, randomWeights ? Weights.RANDOM_IF_ABSENT : Weights.REQUIRED, options);
    }

    /** Opens the model and names on stderr, in one line, the config keys the library did not read. */
    static PretrainedModel open(String model, Weights need, LoadOptions options) throws IOException {
        PretrainedModel opened = openQuietly(model, need, options);
        opened.report().configNotice(opened.source()).ifPresent(System.err::println);
        return opened;
    }

    private static PretrainedModel openQuietly(String model, Weights need, LoadOptions options) throws IOException {
        if (MINILM.equals(model)) {
            return AutoModel.miniLm(options);
        }
        Path path = Path.of(model);
        if (!Files.exists(path)) {
            throw new IOException("no model at \"" + model + "\": give a checkpoint directory, a directory with"
                    + " config.json, an .onnx file, or \"minilm\"");
        }
        if (Files.isRegularFile(path)) {
            if (model.endsWith(".onnx")) {
                return AutoModel.fromOnnx(path, options);
            }
            throw new IOException(model + " is a file; give a checkpoint directory, an .onnx file, or \"minilm\"");
        }
        if (need == Weights.STRUCTURE_ONLY) {
            return AutoModel.structure(path, options); // no weight allocated, whatever the config's size
        }
        CheckpointWeights weights = CheckpointWeights.of(path);
        if (weights.readable()) {
            return AutoModel.fromPretrained(path, options);
        }
        if (need == Weights.REQUIRED) {
            if (weights.format() == CheckpointWeights.Format.UNSUPPORTED) {
                throw weights.unreadable(path);
            }
            throw new IOException(path + " has no weights (model.safetensors or model.safetensors.index.json);"
                    + " pass --random-weights to run its config.json with random initial weights");
        }
        return AutoModel.fromConfig(path, options);
    }

    /** The model's tokenizer: the embedded one for minilm, else tokenizer.json beside the weights. */
    static TextTokenizer tokenizer(String model, int maxLength) throws IOException {
        if (MINILM.equals(model)) {
            return AllMiniLmL6V2.tokenizer();
        }
        Path path = Path.of(model);
        return TextTokenizer.fromPretrained(Files.isDirectory(path) ? path : path.getParent(), maxLength);
    }
}
