package dev.mhc.hf.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.testing.Golden;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViTImageProcessorTest {

    @TempDir Path tmp;

    @Test
    void rescalesAndNormalisesPerChannelInChwOrder() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF8000); // r 255, g 128, b 0
        image.setRGB(1, 0, 0x0000FF);
        Files.writeString(tmp.resolve(ViTImageProcessor.FILE),
                "{\"do_resize\": false, \"image_mean\": [0.5, 0.4, 0.3], \"image_std\": [0.5, 0.2, 0.1],"
                        + " \"image_processor_type\": \"ViTImageProcessor\", \"resample\": 2}");
        ViTImageProcessor processor = ViTImageProcessor.fromPretrained(tmp);
        Path png = tmp.resolve("two.png");
        ImageIO.write(image, "png", png.toFile());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray pixels = processor.processFiles(List.of(png), manager);
            assertEquals(new Shape(1, 3, 1, 2), pixels.getShape());
            float[] expected = {
                (1f - 0.5f) / 0.5f, (0f - 0.5f) / 0.5f, // red plane
                (128 / 255f - 0.4f) / 0.2f, (0f - 0.4f) / 0.2f, // green plane
                (0f - 0.3f) / 0.1f, (1f - 0.3f) / 0.1f // blue plane
            };
            assertArrayEquals(expected, pixels.toFloatArray(), 1e-5f);
        }
        IOException notImage = assertThrows(IOException.class,
                () -> processor.processFiles(List.of(tmp.resolve(ViTImageProcessor.FILE)), NDManager.newBaseManager()));
        assertTrue(notImage.getMessage().contains("is not an image"));
    }

    @Test
    void aPreprocessorConfigAsHuggingFaceWritesItLoadsAndSettingsNotBuiltAreRefused() throws IOException {
        String vitBase = "{\"do_normalize\": true, \"do_rescale\": true, \"do_resize\": true, \"image_mean\": [0.5, 0.5,"
                + " 0.5], \"image_processor_type\": \"ViTImageProcessor\", \"image_std\": [0.5, 0.5, 0.5], \"resample\": 2,"
                + " \"rescale_factor\": 0.00392156862745098, \"size\": {\"height\": 224, \"width\": 224}";
        Files.writeString(tmp.resolve(ViTImageProcessor.FILE), vitBase + "}");
        assertEquals(Map.of("height", 224, "width", 224), ViTImageProcessor.fromPretrained(tmp).size());
        for (String extra : List.of("\"resample\": 3", "\"do_pad\": true", "\"do_center_crop\": true")) {
            Files.writeString(tmp.resolve(ViTImageProcessor.FILE), vitBase.replace("\"resample\": 2", "\"resample\": 2, " + extra)
                    .replace("\"resample\": 2, \"resample\": 3", "\"resample\": 3") + "}");
            IOException e = assertThrows(IOException.class, () -> ViTImageProcessor.fromPretrained(tmp));
            String key = extra.substring(1, extra.indexOf('"', 1));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void resizesToTheModelsSizeAndClassifies() throws IOException {
        Golden golden = Golden.fixture("vit-tiny");
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir(), LoadOptions.defaults()
                        .architecture("ViTForImageClassification").strict(false)
                        .overrides(Map.of("model.id2label", Map.of("0", "cat", "1", "dog", "2", "bird"))));
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(ModelKind.IMAGE_CLASSIFICATION, model.kind());
            assertEquals(List.of("classifier.weight", "classifier.bias"), model.report().missing());
            assertTrue(model.report().unexpected().contains("pooler.dense.weight"));
            BufferedImage big = new BufferedImage(100, 60, BufferedImage.TYPE_INT_RGB);
            NDArray pixels = ViTImageProcessor.forSize(32).process(big, manager);
            assertEquals(new Shape(1, 3, 32, 32), pixels.getShape());
            assertEquals(new Shape(1, 3), model.predict(new NDList(pixels)).head().getShape());
        }
    }
}
