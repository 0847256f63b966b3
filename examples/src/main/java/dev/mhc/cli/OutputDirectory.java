package dev.mhc.cli;

import dev.mhc.core.io.AtomicDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An {@code --out} checked before any work: a directory that can be saved into ({@link
 * AtomicDirectory#checkWritable}), neither holding an input (the save would replace it) nor inside an
 * input directory.
 */
final class OutputDirectory {

    private OutputDirectory() {}

    /**
     * @param inputs the paths the command reads (a model directory, a data file, a config); those
     *     that are not paths on disk ({@code minilm}) are skipped
     */
    static Path check(Path out, List<String> inputs) throws IOException {
        AtomicDirectory.checkWritable(out);
        Path target = out.toAbsolutePath().normalize();
        for (String input : inputs) {
            if (input == null || input.isBlank() || !Files.exists(Path.of(input))) {
                continue;
            }
            Path in = Path.of(input).toAbsolutePath().normalize();
            if (in.startsWith(target)) {
                throw new IllegalArgumentException("--out " + out + " holds the input " + input + ": the save would"
                        + " replace the directory it is in; write the output elsewhere");
            }
            if (Files.isDirectory(in) && target.startsWith(in)) {
                throw new IllegalArgumentException("--out " + out + " is inside the input directory " + input
                        + "; write the output outside it");
            }
        }
        return out;
    }
}
