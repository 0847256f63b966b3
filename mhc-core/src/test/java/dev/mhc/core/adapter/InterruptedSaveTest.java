package dev.mhc.core.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.Weights;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) at a random moment while it re-saves mHC and LoRA with alternating
 * settings leaves both saves loadable, every time; the next save leaves no temporaries behind.
 */
@Tag("slow") // 50 child JVMs: about a minute and a half
class InterruptedSaveTest {

    private static final int ROUNDS = 50;

    @TempDir Path dir;

    /** layer.0..3, each a Module holding {@code dense}: a stack mHC and LoRA can both target. */
    static final class Stack extends Module {
        private final ModuleList layers;

        Stack() {
            layers = register("layer", new ModuleList());
            for (int i = 0; i < 4; i++) {
                layers.add(new Dense());
            }
        }

        @Override
        protected NDList forwardModule(Forward f, NDList in) {
            NDList x = in;
            for (Block layer : layers.blocks()) {
                x = f.run(layer, x);
            }
            return x;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        static Stack initialised(NDManager manager) {
            Stack stack = new Stack();
            Weights.initialize(stack, manager);
            return stack;
        }
    }

    static final class Dense extends Module {
        Dense() {
            register("dense", new Linear(8, 8));
        }

        @Override
        protected NDList forwardModule(Forward f, NDList in) {
            return f.outputs("dense", in);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /** The child: re-saves forever, settings alternating, and says once both saves exist. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; ; i++) {
                Stack model = Stack.initialised(manager);
                boolean even = i % 2 == 0;
                Lora.inject(model, even ? LoraConfig.of(2, 4, 0, List.of("dense"))
                        : LoraConfig.ofRegex(4, 8, 0, "layer\\.[0-2]\\.dense"));
                Mhc.builder().target("Dense").maxHistory(even ? 3 : 2).gate(even).inject(model);
                Mhc.save(model, out.resolve("mhc"));
                Lora.save(model, out.resolve("lora"));
                if (i == 0) {
                    System.out.println("saved");
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void killedWhileSavingLeavesALoadableSave() throws Exception {
        Random random = new Random(11);
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", InterruptedSaveTest.class.getName(),
                    dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null && !line.equals("saved")) {
                    // wait for the first complete pair of saves
                }
                Thread.sleep(random.nextInt(400));
            } finally {
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(1, TimeUnit.MINUTES));
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                Mhc.load(Stack.initialised(manager), dir.resolve("mhc"));
                Lora.load(Stack.initialised(manager), dir.resolve("lora"));
            } catch (IOException | RuntimeException e) {
                failures.add("round " + round + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures, "saves left unloadable by a kill");

        try (NDManager manager = NDManager.newBaseManager()) {
            Stack model = Stack.initialised(manager);
            Mhc.builder().target("Dense").maxHistory(2).inject(model);
            Mhc.save(model, dir.resolve("mhc"));
            Lora.inject(model, LoraConfig.of(2, 4, 0, List.of("dense")));
            Lora.save(model, dir.resolve("lora"));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(".lora.lock", ".mhc.lock", "lora", "mhc"),
                    left.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                    "no staging or set-aside directories, journals or owner locks after the next save (the swap"
                            + " locks stay)");
        }
    }
}
