package dev.mhc.cli;

import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a MODEL argument names: the alias {@code minilm} (the embedded all-MiniLM-L6-v2), an ONNX
 * file, a checkpoint directory, or a directory with only {@code config.json} (random weights).
 */
final class Models {

    static final String MINILM = "minilm";

    private Models() {}

    static PretrainedModel open(String model, Path mhcDir) throws IOException {
        PretrainedModel opened = open(model);
        if (mhcDir != null) {
            Mhc.load(opened.block(), mhcDir);
        }
        return opened;
    }

    static PretrainedModel open(String model) throws IOException {
        if (MINILM.equals(model)) {
            return AutoModel.miniLm();
        }
        Path path = Path.of(model);
        if (!Files.exists(path)) {
            throw new IOException("no model at \"" + model + "\": give a checkpoint directory, a directory with"
                    + " config.json, an .onnx file, or \"minilm\"");
        }
        if (Files.isRegularFile(path) && model.endsWith(".onnx")) {
            return AutoModel.fromOnnx(path);
        }
        boolean weights = Files.exists(path.resolve("model.safetensors"))
                || Files.exists(path.resolve("model.safetensors.index.json"));
        return weights ? AutoModel.fromPretrained(path) : AutoModel.fromConfig(path);
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
