package dev.mhc.spark;

import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One opened model per executor JVM, shared by the tasks that run in it: opening a model per row,
 * or per partition, would cost far more than embedding. A forward is safe to call from several
 * threads (each call keeps its own state), and so is the tokenizer.
 *
 * <p>Models stay open until the JVM exits: an executor runs task after task, and the native memory
 * goes with the process.
 */
final class SharedModels {

    static final String MINILM = "minilm";

    /** A model with the tokenizer its texts are encoded with. */
    record Loaded(PretrainedModel model, TextTokenizer tokenizer) {}

    private static final Map<String, Loaded> OPENED = new ConcurrentHashMap<>();

    private SharedModels() {}

    /** @param model {@code minilm} (the embedded all-MiniLM-L6-v2) or a checkpoint directory every executor can read */
    static Loaded get(String model) {
        return OPENED.computeIfAbsent(model, SharedModels::open);
    }

    private static Loaded open(String model) {
        try {
            if (MINILM.equals(model)) {
                return new Loaded(AutoModel.miniLm(), AllMiniLmL6V2.tokenizer());
            }
            Path dir = Path.of(model);
            if (!Files.isDirectory(dir)) {
                throw new IOException("no checkpoint directory at \"" + model + "\" on this executor: give a"
                        + " directory (config.json, safetensors, tokenizer.json) that every executor can read, or \""
                        + MINILM + "\"");
            }
            return new Loaded(AutoModel.fromPretrained(dir), TextTokenizer.fromPretrained(dir, 512));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
