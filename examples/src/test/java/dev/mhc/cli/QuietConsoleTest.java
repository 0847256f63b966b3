package dev.mhc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A library user's first program (load MiniLM, inject mHC, forward, load a save) and {@code mhc
 * forward} print nothing on stderr: no engine start-up lines, no GPU probe warning, no libtorch
 * deprecation warning. Each runs in a fresh JVM, as a user's would.
 */
class QuietConsoleTest {

    private static String stderrOf(Class<?> main, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), err);
        return err;
    }

    @Test
    void aFirstLibraryProgramPrintsNothingOnStderr() throws Exception {
        assertEquals("", stderrOf(FirstProgram.class));
    }

    @Test
    void mhcForwardPrintsNothingOnStderr() throws Exception {
        assertEquals("", stderrOf(MhcCommand.class, "forward", "minilm", "--ids", "101,102"));
    }

    /** What the README's tour starts with, plus loading a save (which writes weights into arrays). */
    static final class FirstProgram {
        public static void main(String[] args) throws Exception {
            Path dir = java.nio.file.Files.createTempDirectory("quiet");
            try (PretrainedModel model = AutoModel.miniLm(); PretrainedModel fresh = AutoModel.miniLm();
                    NDManager manager = model.manager().newSubManager()) {
                Mhc.injectMhc(model.block(), "BertLayer", 4);
                Mhc.save(model.block(), dir);
                Mhc.load(fresh.block(), dir);
                fresh.predict(new NDList(manager.create(new long[][] {{101, 2023, 102}})));
            }
        }
    }
}
