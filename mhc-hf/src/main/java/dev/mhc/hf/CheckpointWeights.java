package dev.mhc.hf;

import dev.mhc.core.io.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a checkpoint directory holds for weights, decided in one place: safetensors (one file or
 * sharded), only formats this library will not read (PyTorch pickles and the like), or nothing.
 *
 * @param format what was found
 * @param file the file that decided it ({@code model.safetensors}, {@code pytorch_model.bin}), or
 *     {@code null} for {@link Format#NONE}
 */
public record CheckpointWeights(Format format, Path file) {

    /** The kinds of weights a directory can hold. */
    public enum Format {
        SAFETENSORS,
        SHARDED_SAFETENSORS,
        /** Only files this library refuses to read: pickles run code when loaded. */
        UNSUPPORTED,
        NONE
    }

    /** Weight files of other formats, by name or extension, most common first. */
    private static final List<String> UNSUPPORTED_SUFFIXES =
            List.of(".bin", ".bin.index.json", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".h5", ".msgpack");

    /** @return what {@code dir} holds for weights (safetensors win when several formats are present) */
    public static CheckpointWeights of(Path dir) throws IOException {
        Path single = dir.resolve(SafetensorsCheckpoint.SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return new CheckpointWeights(Format.SAFETENSORS, single);
        }
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return new CheckpointWeights(Format.SHARDED_SAFETENSORS, index);
        }
        Optional<Path> other = Optional.empty();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                other = files.filter(Files::isRegularFile)
                        .filter(f -> UNSUPPORTED_SUFFIXES.stream()
                                .anyMatch(s -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(s)))
                        .sorted()
                        .findFirst();
            }
        }
        return other.map(f -> new CheckpointWeights(Format.UNSUPPORTED, f))
                .orElse(new CheckpointWeights(Format.NONE, null));
    }

    /** @return whether the directory has weights this library reads */
    public boolean readable() {
        return format == Format.SAFETENSORS || format == Format.SHARDED_SAFETENSORS;
    }

    /** @return the error for a directory whose weights cannot be read, saying what to do */
    public IOException unreadable(Path dir) {
        if (format == Format.UNSUPPORTED) {
            return new IOException(dir + " holds " + file.getFileName() + " and no " + SafetensorsCheckpoint.SINGLE_FILE
                    + ": this library reads weights from safetensors only (pickled PyTorch files run code when"
                    + " loaded). Convert once with Python: AutoModel.from_pretrained(\"" + dir + "\")"
                    + ".save_pretrained(\"" + dir + "\", safe_serialization=True)");
        }
        return new IOException("no " + SafetensorsCheckpoint.SINGLE_FILE + " or " + SafetensorsCheckpoint.INDEX_FILE + " in " + dir
                + "; to build the architecture with random weights, use AutoModel.fromConfig(dir)");
    }
}
