package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Embedding;
import dev.mhc.core.nn.LayerNorm;
import dev.mhc.testing.ManagedTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoaderTest extends ManagedTest {

    @TempDir Path dir;

    /** wte (an embedding), ln, and lm_head whose weight IS wte's (tied, as GPT-2's). */
    static final class Tied extends Module {
        Tied() {
            Embedding wte = register("wte", new Embedding(4, 3));
            register("ln", new LayerNorm(3, 1e-5));
            register("lm_head", new Head(wte));
        }

        @Override
        protected NDList forwardModule(Forward f, NDList in) {
            return in;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    static final class Head extends Module {
        Head(Embedding tiedTo) {
            addParameter(tiedTo.weight());
        }

        @Override
        protected NDList forwardModule(Forward f, NDList in) {
            return in;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    private SafetensorsFile write(Map<String, float[]> data, Map<String, long[]> shapes) throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.writeFloats(file, data, shapes, Map.of());
        return SafetensorsFile.open(file);
    }

    private static float[] range(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f;
        }
        return v;
    }

    @Test
    void tiedWeightsLoadOnceFromWhicheverKeyTheCheckpointHas() throws IOException {
        for (String key : List.of("wte.weight", "lm_head.weight")) {
            Tied model = new Tied();
            Map<String, float[]> data = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            data.put(key, range(12));
            shapes.put(key, new long[] {4, 3});
            data.put("ln.weight", new float[] {1, 2, 3});
            shapes.put("ln.weight", new long[] {3});
            data.put("ln.bias", new float[] {0, 0, 1});
            shapes.put("ln.bias", new long[] {3});
            try (SafetensorsFile file = write(data, shapes)) {
                WeightLoader.Report report = WeightLoader.load(model, file, manager);
                assertTrue(report.missing().isEmpty(), key + ": " + report);
                assertTrue(report.unexpected().isEmpty());
            }
            Map<String, ai.djl.nn.Parameter> params = ModuleTree.parameters(model);
            assertSame(params.get("wte.weight"), params.get("lm_head.weight"));
            assertArrayEquals(range(12), params.get("lm_head.weight").getArray().toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, params.get("ln.weight").getArray().toFloatArray());
        }
    }

    @Test
    void lenientLoadsReportAndInitialiseWhatIsMissing() throws IOException {
        Tied model = new Tied();
        try (SafetensorsFile file = write(Map.of("extra", new float[] {1}), Map.of("extra", new long[] {1}))) {
            IOException strict = assertThrows(IOException.class, () -> WeightLoader.load(model, file, manager));
            assertTrue(strict.getMessage().startsWith(
                    "the checkpoint does not fit the model; missing 3 keys [wte.weight, ln.weight, ln.bias];"
                            + " unexpected 1 keys [extra]"), strict.getMessage());
            WeightLoader.Report report = WeightLoader.load(model, file, manager, "", false);
            assertEquals(List.of("wte.weight", "ln.weight", "ln.bias"), report.missing());
            assertEquals(List.of("extra"), report.unexpected());
        }
        assertArrayEquals(new float[] {1, 1, 1}, ModuleTree.parameters(model).get("ln.weight").getArray().toFloatArray());
        assertTrue(model.isInitialized());
    }

    @Test
    void nonFiniteWeightsAreRefusedByNameLeavingTheModelAsItWas() throws IOException {
        Tied model = new Tied();
        model.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3));
        float[] before = ModuleTree.parameters(model).get("ln.weight").getArray().toFloatArray();
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        data.put("wte.weight", range(12));
        shapes.put("wte.weight", new long[] {4, 3});
        data.put("ln.weight", new float[] {1, Float.NaN, Float.POSITIVE_INFINITY});
        shapes.put("ln.weight", new long[] {3});
        data.put("ln.bias", new float[] {0, 0, Float.NEGATIVE_INFINITY});
        shapes.put("ln.bias", new long[] {3});
        try (SafetensorsFile file = write(data, shapes)) {
            WeightLoader.NonFiniteWeightsException refused = assertThrows(WeightLoader.NonFiniteWeightsException.class,
                    () -> WeightLoader.load(model, file, manager));
            assertTrue(refused.getMessage().startsWith("checkpoint tensor \"ln.weight\" holds 1 NaN and 1 infinite"
                    + " value(s) among 3"), refused.getMessage());
            assertTrue(refused.getMessage().contains("allowNonFiniteWeights"), refused.getMessage());
            assertArrayEquals(before, ModuleTree.parameters(model).get("ln.weight").getArray().toFloatArray(),
                    "a refused load leaves the parameters as they were");

            WeightLoader.Report allowed = WeightLoader.load(model, file, manager, "", true, true);
            assertEquals(List.of("ln.weight", "ln.bias"), allowed.nonFinite());
            assertTrue(Float.isNaN(ModuleTree.parameters(model).get("ln.weight").getArray().toFloatArray()[1]));
        }
    }
}
