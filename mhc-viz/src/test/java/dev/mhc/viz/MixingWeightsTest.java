package dev.mhc.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.hf.bert.BertModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixingWeightsTest {

    @TempDir Path dir;

    @Test
    void rowsFromAModelAndFromItsSavedDirectoryAgree() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            BertModel model = InjectedBert.create(manager, 5);
            MixingSnapshot live = MixingWeights.extract(model, "live");
            assertEquals(5, live.layers().size());
            LayerMixing third = live.layers().get(2);
            assertEquals("encoder.layer.2", third.path());
            assertEquals("BertLayer", third.className());
            assertEquals(3, third.available());
            double z = Math.exp(2) + Math.exp(0.5) + Math.exp(1.6);
            assertArrayEquals(new float[] {(float) (Math.exp(2) / z), (float) (Math.exp(0.5) / z),
                    (float) (Math.exp(1.6) / z), 0f}, third.coefficients(), 1e-6f);
            assertArrayEquals(new float[] {0.9f, 0.05f, 0.05f, 0f}, third.initial(), 1e-6f);

            Mhc.save(model, dir);
            MixingSnapshot saved = MixingWeights.extract(dir);
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(live.layers().get(i).coefficients(), saved.layers().get(i).coefficients());
                assertArrayEquals(live.layers().get(i).raw(), saved.layers().get(i).raw());
            }
        }
    }

    @Test
    void brokenDirectoriesAreReportedNotPlotted() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> MixingWeights.extract(dir));
        assertTrue(missing.getMessage().contains("no mhc_config.json"), missing.getMessage());
        try (NDManager manager = NDManager.newBaseManager()) {
            Mhc.save(InjectedBert.create(manager, 2), dir);
        }
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        data.put("encoder.layer.0.mhc_alpha", new float[] {1, 0, 0});
        shapes.put("encoder.layer.0.mhc_alpha", new long[] {3});
        data.put("encoder.layer.1.mhc_alpha", new float[] {1, 0, 0});
        shapes.put("encoder.layer.1.mhc_alpha", new long[] {3});
        SafetensorsWriter.writeFloats(dir.resolve("mhc_weights.safetensors"), data, shapes, Map.of());
        IOException count = assertThrows(IOException.class, () -> MixingWeights.extract(dir));
        assertTrue(count.getMessage().contains("has 3 values, expected 4"), count.getMessage());

        data.replaceAll((k, v) -> new float[] {1, Float.NaN, 0, 0});
        shapes.replaceAll((k, v) -> new long[] {4});
        SafetensorsWriter.writeFloats(dir.resolve("mhc_weights.safetensors"), data, shapes, Map.of());
        IOException nan = assertThrows(IOException.class, () -> MixingWeights.extract(dir));
        assertTrue(nan.getMessage().contains("holds non-finite values"), nan.getMessage());
        assertTrue(Files.exists(dir.resolve("mhc_config.json")));
    }
}
