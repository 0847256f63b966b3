package dev.mhc.core.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.ToyEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MhcSaveLoadTest extends ManagedTest {

    @TempDir Path dir;

    private float[] run(ToyEncoder model, NDArray x) {
        return model.forward(ps, new NDList(x), false).head().toFloatArray();
    }

    /** A 4-layer model with gated SIMPLEX mHC and weights moved away from their init. */
    private ToyEncoder trainedLooking() {
        ToyEncoder model = ToyEncoder.of(4, manager);
        List<InjectedMHC> layers =
                Mhc.builder()
                        .target("ToyLayer")
                        .maxHistory(3)
                        .constraint(Constraint.SIMPLEX)
                        .temperature(0.7)
                        .gate(true)
                        .detachHistory(true)
                        .inject(model);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).setWeights(new float[] {0.1f * i, -0.3f, 0.5f + i}, 0.25f * (i + 1));
        }
        return model;
    }

    @Test
    void roundTripRestoresSettingsWeightsAndOutputs() throws IOException {
        ToyEncoder saved = trainedLooking();
        NDArray x = ToyEncoder.input(manager, 11);
        float[] expected = run(saved, x);
        Mhc.save(saved, dir);

        assertTrue(Files.isRegularFile(dir.resolve("mhc_config.json")));
        try (SafetensorsFile weights = SafetensorsFile.open(dir.resolve("mhc_weights.safetensors"))) {
            assertEquals(
                    List.of("layer.0.mhc_alpha", "layer.0.mhc_gate", "layer.1.mhc_alpha", "layer.1.mhc_gate",
                            "layer.2.mhc_alpha", "layer.2.mhc_gate", "layer.3.mhc_alpha", "layer.3.mhc_gate"),
                    weights.names());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left");
        }

        ToyEncoder fresh = ToyEncoder.of(4, manager);
        Mhc.load(fresh, dir);
        List<InjectedMHC> layers = Mhc.layers(fresh);
        assertEquals(4, layers.size());
        MhcConfig config = layers.get(0).config();
        assertEquals(Constraint.SIMPLEX, config.constraint());
        assertEquals(0.7, config.temperature());
        assertTrue(config.gate() && config.detachHistory());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(Mhc.layers(saved).get(i).coefficients(), layers.get(i).coefficients());
        }
        assertArrayEquals(expected, run(fresh, x));
    }

    @Test
    void loadRefusesAModelThatDoesNotFit() throws IOException {
        Mhc.save(trainedLooking(), dir);
        ToyEncoder smaller = ToyEncoder.of(3, manager);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mhc.load(smaller, dir));
        assertTrue(e.getMessage().contains("does not fit this model: no ToyLayer selected at \"layer.3\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("This model has [layer.0 (ToyLayer), layer.1 (ToyLayer), layer.2 (ToyLayer)]"),
                e.getMessage());
        assertTrue(Mhc.layers(smaller).isEmpty(), "the model is left unchanged");

        ToyEncoder injected = ToyEncoder.of(4, manager);
        Mhc.injectMhc(injected, "ToyLayer", 3);
        assertTrue(assertThrows(IllegalStateException.class, () -> Mhc.load(injected, dir))
                .getMessage().startsWith("the model already has mHC layers"));
    }

    @Test
    void loadRefusesBrokenDirectories() throws IOException {
        ToyEncoder model = ToyEncoder.of(4, manager);
        IOException missing = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(missing.getMessage().contains(dir + " lacks mhc_config.json"), missing.getMessage());

        Mhc.save(trainedLooking(), dir);
        Path weights = dir.resolve("mhc_weights.safetensors");

        // Weights of the wrong count for the recorded H.
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            data.put("layer." + i + ".mhc_alpha", new float[] {1, 2});
            shapes.put("layer." + i + ".mhc_alpha", new long[] {2});
            data.put("layer." + i + ".mhc_gate", new float[] {0});
            shapes.put("layer." + i + ".mhc_gate", new long[] {1});
        }
        SafetensorsWriter.writeFloats(weights, data, shapes, Map.of());
        IOException count = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(count.getMessage().contains("layer.0.mhc_alpha has shape (2), expected (3)"), count.getMessage());

        // Non-finite weights.
        data.replaceAll((k, v) -> k.endsWith("alpha") ? new float[] {1, Float.NaN, 0} : v);
        shapes.replaceAll((k, v) -> k.endsWith("alpha") ? new long[] {3} : v);
        SafetensorsWriter.writeFloats(weights, data, shapes, Map.of());
        IOException nan = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(nan.getMessage().contains("layer.0.mhc_alpha holds non-finite values [1.0, NaN, 0.0]"), nan.getMessage());

        // A missing tensor.
        data.remove("layer.3.mhc_gate");
        shapes.remove("layer.3.mhc_gate");
        SafetensorsWriter.writeFloats(weights, data, shapes, Map.of());
        IOException absent = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(absent.getMessage().contains("missing [layer.3.mhc_gate], unexpected []"), absent.getMessage());

        // A config that is not JSON.
        Files.writeString(dir.resolve("mhc_config.json"), "{ not json");
        IOException json = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(json.getMessage().contains("is not a valid mhc config"), json.getMessage());

        // Settings that fail validation.
        Files.writeString(
                dir.resolve("mhc_config.json"),
                "{\"format\":\"mhc-java/1\",\"settings\":{\"max_history\":1,\"constraint\":\"IDENTITY\","
                        + "\"epsilon\":0.1,\"temperature\":1,\"simplex_init\":\"UNIFORM\"},\"layers\":[{\"path\":"
                        + "\"layer.0\",\"class\":\"ToyLayer\",\"position\":1}]}");
        IOException settings = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(settings.getMessage().contains("holds invalid settings: maxHistory must be at least 2"),
                settings.getMessage());

        // A config that is JSON null (found by fuzzing: it was a NullPointerException).
        Files.writeString(dir.resolve("mhc_config.json"), "null");
        IOException nullConfig = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(nullConfig.getMessage().contains("is not a valid mhc config: it holds null, not an object"),
                nullConfig.getMessage());

        // H written as text or as a fraction is refused, not coerced to 4.
        for (String history : new String[] {"\"4\"", "4.7"}) {
            Files.writeString(
                    dir.resolve("mhc_config.json"),
                    "{\"format\":\"mhc-java/1\",\"settings\":{\"max_history\":" + history + ",\"constraint\":"
                            + "\"IDENTITY\",\"epsilon\":0.1,\"temperature\":1,\"simplex_init\":\"UNIFORM\"},"
                            + "\"layers\":[{\"path\":\"layer.0\",\"class\":\"ToyLayer\",\"position\":1}]}");
            IOException typed = assertThrows(IOException.class, () -> Mhc.load(model, dir), history);
            assertTrue(typed.getMessage().contains("is not a valid mhc config")
                    && typed.getMessage().contains("max_history"), typed.getMessage());
        }

        // A key this library does not write (a newer version's setting, or a typo) is refused, named.
        Files.writeString(
                dir.resolve("mhc_config.json"),
                "{\"format\":\"mhc-java/1\",\"settings\":{\"max_history\":4,\"constraint\":\"IDENTITY\","
                        + "\"epsilon\":0.1,\"temperature\":1,\"simplex_init\":\"UNIFORM\",\"temprature\":2},"
                        + "\"layers\":[{\"path\":\"layer.0\",\"class\":\"ToyLayer\",\"position\":1}]}");
        IOException unknown = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(unknown.getMessage().contains("temprature"), unknown.getMessage());
        assertTrue(Mhc.layers(model).isEmpty());
    }

    @Test
    void saveRefusesNonFiniteWeightsAndLeavesTheOldFilesAlone() throws IOException {
        ToyEncoder model = trainedLooking();
        Mhc.save(model, dir);
        String config = Files.readString(dir.resolve("mhc_config.json"));
        byte[] weights = Files.readAllBytes(dir.resolve("mhc_weights.safetensors"));

        Mhc.layers(model).get(2).setWeights(new float[] {Float.POSITIVE_INFINITY, 0, 0}, 0f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Mhc.save(model, dir));
        assertTrue(e.getMessage().startsWith("the mHC weights layer.2.mhc_alpha are not finite"), e.getMessage());
        assertEquals(config, Files.readString(dir.resolve("mhc_config.json")));
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("mhc_weights.safetensors")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("mhc_config.json", "mhc_weights.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        ToyEncoder plain = ToyEncoder.of(2, manager);
        assertTrue(assertThrows(IllegalStateException.class, () -> Mhc.save(plain, dir))
                .getMessage().startsWith("the model has no mHC layers to save"));
    }

    /** The recorded layers in another order load onto the same layers: by path, not by position. */
    @Test
    void reorderedEntriesLoadOntoTheirOwnLayers() throws IOException {
        ToyEncoder saved = trainedLooking();
        NDArray x = ToyEncoder.input(manager, 11);
        float[] expected = run(saved, x);
        Mhc.save(saved, dir);
        Path config = dir.resolve("mhc_config.json");
        String json = Files.readString(config);
        String layer0 = "{\n    \"path\" : \"layer.0\",\n    \"class\" : \"ToyLayer\",\n    \"position\" : 1\n  }";
        String layer3 = "{\n    \"path\" : \"layer.3\",\n    \"class\" : \"ToyLayer\",\n    \"position\" : 4\n  }";
        assertTrue(json.contains(layer0) && json.contains(layer3), json);
        Files.writeString(config, json.replace(layer0, "@").replace(layer3, layer0).replace("@", layer3));

        ToyEncoder fresh = ToyEncoder.of(4, manager);
        Mhc.load(fresh, dir);
        assertArrayEquals(expected, run(fresh, x));
    }

    @Test
    void duplicatedOrPartialSavesAreRefusedAndTheModelIsUnchanged() throws IOException {
        Mhc.save(trainedLooking(), dir);
        Path config = dir.resolve("mhc_config.json");
        String json = Files.readString(config);
        Files.writeString(config, json.replace("\"path\" : \"layer.1\"", "\"path\" : \"layer.0\""));
        ToyEncoder model = ToyEncoder.of(4, manager);
        IOException twice = assertThrows(IOException.class, () -> Mhc.load(model, dir));
        assertTrue(twice.getMessage().contains("layer \"layer.0\" is recorded twice"), twice.getMessage());
        Files.writeString(config, json);

        // A 4-layer save onto a 6-layer model: its target (class ToyLayer) selects two more layers.
        ToyEncoder deeper = ToyEncoder.of(6, manager);
        NDArray x = ToyEncoder.input(manager, 11);
        float[] before = run(deeper, x);
        Map<String, Boolean> trainable = trainableFlags(deeper);
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> Mhc.load(deeper, dir));
        assertTrue(extra.getMessage().contains("class \"ToyLayer\" also selects [layer.4, layer.5] here"),
                extra.getMessage());
        assertTrue(Mhc.layers(deeper).isEmpty());
        assertArrayEquals(before, run(deeper, x));
        assertEquals(trainable, trainableFlags(deeper));
    }

    @Test
    void aSaveKeepsOtherFilesAndCleansWhatAnInterruptedSaveLeft() throws IOException {
        Path save = dir.resolve("mhc");
        Files.createDirectories(save);
        Files.writeString(save.resolve("notes.txt"), "mine");
        Files.createDirectories(dir.resolve(".mhc.tmp-interrupted"));
        Files.writeString(dir.resolve(".mhc.tmp-interrupted").resolve("mhc_config.json"), "half");
        Mhc.save(trainedLooking(), save);
        assertEquals("mine", Files.readString(save.resolve("notes.txt")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(".mhc.lock", "mhc"), // the swap lock stays; the interrupted staging is gone
                    siblings.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        Mhc.load(ToyEncoder.of(4, manager), save);
    }

    private static Map<String, Boolean> trainableFlags(ToyEncoder model) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        dev.mhc.core.module.ModuleTree.parameters(model).forEach((k, p) -> flags.put(k, p.requiresGradient()));
        return flags;
    }
}
