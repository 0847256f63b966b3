package dev.mhc.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.NoMatchingBlockException;
import dev.mhc.core.nn.Conv1D;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.Weights;
import dev.mhc.testing.ManagedTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest extends ManagedTest {

    @TempDir Path dir;

    /** x -> out(value(query(x))): a Linear pair and an HF Conv1D, as in BERT and GPT-2. */
    static final class Projections extends Module {
        Projections() {
            register("query", new Linear(8, 8));
            register("value", new Linear(8, 6));
            register("out", new Conv1D(6, 4));
        }

        @Override
        protected NDList forwardModule(Forward f, NDList in) {
            NDList x = f.outputs("query", in);
            x = f.outputs("value", x);
            return f.outputs("out", x);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 4)};
        }
    }

    private Projections model() {
        Projections model = new Projections();
        manager.getEngine().setRandomSeed(5);
        Weights.initialize(model, manager);
        return model;
    }

    private NDArray input() {
        float[] data = new float[3 * 8];
        Random random = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return manager.create(data, new Shape(3, 8));
    }

    private float[] run(Module model) {
        return model.forward(ps, new NDList(input()), false).head().toFloatArray();
    }

    private static void randomise(List<LoraLinear> layers) {
        Random random = new Random(9);
        for (LoraLinear layer : layers) {
            float[] b = new float[(int) layer.loraB().getArray().size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian() * 0.1f;
            }
            layer.loraB().getArray().set(b);
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void startsAsTheBaseModelWithTheBaseFrozenAndPeftNames() {
        Projections model = model();
        float[] base = run(model);
        List<LoraLinear> layers = Lora.inject(model, LoraConfig.of(2, 4, 0.0, List.of("query", "out")));
        assertEquals(List.of("query", "out"), layers.stream().map(LoraLinear::path).toList());
        assertArrayEquals(base, run(model));
        assertEquals(List.of("query.lora_A.weight", "query.lora_B.weight", "out.lora_A.weight", "out.lora_B.weight"),
                List.copyOf(Lora.parameters(model).keySet()));
        assertTrue(ModuleTree.parameters(model).containsKey("query.weight"), "base keys unchanged");
        assertEquals(new Shape(2, 8), layers.get(0).loraA().getArray().getShape());
        assertEquals(new Shape(4, 2), layers.get(1).loraB().getArray().getShape());
        for (var e : ModuleTree.parameters(model).entrySet()) {
            assertEquals(e.getKey().contains("lora_"), e.getValue().requiresGradient(), e.getKey());
        }
    }

    @Test
    void mergeUnmergeAndRemove() {
        Projections model = model();
        float[] base = run(model);
        float[] queryWeight = ModuleTree.parameters(model).get("query.weight").getArray().toFloatArray();
        List<LoraLinear> layers = Lora.inject(model, LoraConfig.of(2, 4, 0.0, List.of("query", "out")));
        randomise(layers);
        float[] adapted = run(model);
        assertTrue(maxAbsDiff(base, adapted) > 1e-3);
        Lora.merge(model);
        assertTrue(layers.get(0).merged());
        assertTrue(maxAbsDiff(adapted, run(model)) <= 1e-5f, "merged equals unmerged");
        Lora.unmerge(model);
        assertTrue(maxAbsDiff(adapted, run(model)) <= 1e-5f);
        assertTrue(maxAbsDiff(queryWeight,
                ModuleTree.parameters(model).get("query.weight").getArray().toFloatArray()) <= 1e-6f);
        Lora.merge(model);
        assertEquals(2, Lora.remove(model));
        assertTrue(maxAbsDiff(base, run(model)) <= 1e-6f, "remove unmerges and restores the base");
        assertEquals("Linear", ModuleTree.get(model, "query").getClass().getSimpleName());
    }

    @Test
    void gradientsReachTheAdaptersOnly() {
        Projections model = model();
        List<LoraLinear> layers = Lora.inject(model, LoraConfig.ofRegex(2, 2, 0.1, "query|value"));
        randomise(layers);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(model.forward(ps, new NDList(input()), true).head().square().sum());
        }
        for (LoraLinear layer : layers) {
            assertTrue(layer.loraA().getArray().getGradient().abs().sum().getFloat() > 0);
            assertTrue(layer.loraB().getArray().getGradient().abs().sum().getFloat() > 0);
        }
        Parameter base = ModuleTree.parameters(model).get("query.weight");
        assertFalse(base.requiresGradient());
    }

    @Test
    void adaptersSaveInPeftsLayoutAndLoadOntoAFreshBase() throws IOException {
        Projections model = model();
        randomise(Lora.inject(model, LoraConfig.of(2, 4, 0.05, List.of("query", "out"))));
        Mhc.builder().targetPaths("query|value").maxHistory(2).inject(model);
        float[] adapted = run(model);
        Mhc.remove(model);
        float[] adaptedWithoutMhc = run(model);
        Lora.save(model, dir);
        String config = Files.readString(dir.resolve("adapter_config.json"));
        assertTrue(config.contains("\"peft_type\" : \"LORA\""), config);
        assertTrue(config.contains("\"target_modules\" : [ \"query\", \"out\" ]"), config);
        assertTrue(config.contains("\"fan_in_fan_out\" : true"), config);
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("adapter_model.safetensors"))) {
            assertEquals(List.of("base_model.model.query.lora_A.weight", "base_model.model.query.lora_B.weight",
                    "base_model.model.out.lora_A.weight", "base_model.model.out.lora_B.weight"), file.names());
        }
        Projections fresh = model();
        Lora.load(fresh, dir);
        assertArrayEquals(adaptedWithoutMhc, run(fresh));
        assertTrue(maxAbsDiff(adapted, adaptedWithoutMhc) > 0, "mHC on top of LoRA changed the function");
    }

    @Test
    void mistakesAreClearErrors() {
        Projections model = model();
        NoMatchingBlockException none = assertThrows(NoMatchingBlockException.class,
                () -> Lora.inject(model, LoraConfig.of(2, 4, 0, List.of("q_proj"))));
        assertEquals("LoRA target modules [q_proj] match no Linear or Conv1D in the model; its projections are"
                + " named [out, query, value]", none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(0, 4, 0, List.of("query")));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(2, 4, 1.0, List.of("query")));
        Lora.inject(model, LoraConfig.of(2, 4, 0, List.of("query")));
        assertTrue(assertThrows(IllegalStateException.class,
                () -> Lora.inject(model, LoraConfig.of(2, 4, 0, List.of("query")))).getMessage()
                .startsWith("LoRA is already injected at \"query\""));
        IOException missing = assertThrows(IOException.class, () -> Lora.load(model(), dir));
        assertTrue(missing.getMessage().contains("lacks adapter_config.json"), missing.getMessage());
    }

    /** Hostile or mismatched saves are refused before the model changes: nothing frozen, nothing injected. */
    @Test
    void aRefusedLoadLeavesTheModelAsItWas() throws IOException {
        Projections trained = model();
        randomise(Lora.inject(trained, LoraConfig.of(2, 4, 0, List.of("query", "out"))));
        Lora.save(trained, dir);
        Path config = dir.resolve("adapter_config.json");
        String json = Files.readString(config);

        // A rank of 2^30 in the config: refused as no rank these projections can have, before anything is allocated.
        Files.writeString(config, json.replace("\"r\" : 2", "\"r\" : 1073741824"));
        assertRefusedUnchanged(IllegalArgumentException.class, "LoRA rank 1073741824 at \"query\" exceeds min(in, out)");
        // A rank the projections can have but the weights do not: refused from the file's shapes.
        Files.writeString(config, json.replace("\"r\" : 2", "\"r\" : 4"));
        assertRefusedUnchanged(IOException.class, "base_model.model.query.lora_A.weight has shape (2, 8), expected (4, 8)");

        // Targets that select a projection the weights do not cover.
        Files.writeString(config, json.replace("[ \"query\", \"out\" ]", "[ \"query\", \"value\", \"out\" ]"));
        assertRefusedUnchanged(IOException.class, "missing [base_model.model.value.lora_A.weight,"
                + " base_model.model.value.lora_B.weight], unexpected []");

        // Non-finite adapter weights.
        Files.writeString(config, json);
        Lora.layers(trained).get(0).loraB().getArray().set(new float[] {Float.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThrows(IllegalStateException.class, () -> Lora.save(trained, dir));
        Path weights = dir.resolve("adapter_model.safetensors");
        java.util.Map<String, float[]> data = new java.util.LinkedHashMap<>();
        java.util.Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            for (String name : file.names()) {
                float[] values = file.readFloats(name);
                if (name.endsWith("out.lora_B.weight")) {
                    values[1] = Float.POSITIVE_INFINITY;
                }
                data.put(name, values);
                shapes.put(name, file.info(name).shape());
            }
        }
        dev.mhc.core.io.SafetensorsWriter.writeFloats(weights, data, shapes, java.util.Map.of());
        assertRefusedUnchanged(IOException.class, "base_model.model.out.lora_B.weight holds non-finite values");

        // A config with no targets at all.
        Files.writeString(config, json.replace("[ \"query\", \"out\" ]", "null"));
        assertRefusedUnchanged(IOException.class, "names no target_modules");

        // Targets that are neither a list of names nor a regex string.
        Files.writeString(config, json.replace("[ \"query\", \"out\" ]", "5"));
        assertRefusedUnchanged(IOException.class, "target_modules must be a list of module names or a path regex"
                + " string, got 5");
        Files.writeString(config, json.replace("[ \"query\", \"out\" ]", "[ \"query\", 7 ]"));
        assertRefusedUnchanged(IOException.class, "target_modules must list module names as strings, got 7");

        // A rank written as text or as a fraction.
        String rank = json.substring(json.indexOf("\"r\" : "), json.indexOf(",", json.indexOf("\"r\" : ")));
        for (String bad : new String[] {"\"r\" : \"4\"", "\"r\" : 4.7"}) {
            Files.writeString(config, json.replace(rank, bad));
            assertRefusedUnchanged(IOException.class, "r must be an integer");
        }
    }

    private void assertRefusedUnchanged(Class<? extends Exception> type, String message) {
        Projections model = model();
        float[] before = run(model);
        Exception e = assertThrows(type, () -> Lora.load(model, dir));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(Lora.layers(model).isEmpty(), "no LoRA layer left injected");
        ModuleTree.parameters(model).forEach((key, p) -> assertTrue(p.requiresGradient(), key + " left frozen"));
        assertArrayEquals(before, run(model));
    }
}
