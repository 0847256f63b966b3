package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.mhc.core.io.InputFiles;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * HF's {@code ViTImageProcessor} from {@code preprocessor_config.json}: resize (bilinear), rescale
 * (1/255 by default) and normalise per channel, giving pixel_values [batch, 3, height, width].
 * Java's bilinear resize does not antialias as PIL's does when shrinking, so pixel values of a
 * resized image can differ from HF's slightly; images already at the model's size are exact.
 */
public record ViTImageProcessor(
        Boolean doResize,
        Map<String, Integer> size,
        Boolean doRescale,
        Double rescaleFactor,
        Boolean doNormalize,
        List<Double> imageMean,
        List<Double> imageStd) {

    public static final String FILE = "preprocessor_config.json";

    public ViTImageProcessor {
        doResize = doResize == null || doResize;
        size = size == null ? Map.of("height", 224, "width", 224) : Map.copyOf(size);
        doRescale = doRescale == null || doRescale;
        rescaleFactor = rescaleFactor == null ? 1 / 255.0 : rescaleFactor;
        doNormalize = doNormalize == null || doNormalize;
        imageMean = imageMean == null ? List.of(0.5, 0.5, 0.5) : List.copyOf(imageMean);
        imageStd = imageStd == null ? List.of(0.5, 0.5, 0.5) : List.copyOf(imageStd);
        if (!size.containsKey("height") || !size.containsKey("width")) {
            throw new IllegalArgumentException("size must give height and width, got " + size);
        }
        if (imageMean.size() != 3 || imageStd.size() != 3) {
            throw new IllegalArgumentException("image_mean and image_std need 3 values (RGB)");
        }
    }

    /** The keys this record binds: its components, in snake_case. */
    private static final Set<String> READ = Arrays.stream(ViTImageProcessor.class.getRecordComponents())
            .map(c -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName()))
            .collect(Collectors.toUnmodifiableSet());

    /** Keys HF writes that change nothing here. */
    private static final Set<String> INERT = Set.of("image_processor_type", "feature_extractor_type", "processor_class");

    /** Keys refused unless at the value this processor computes (a JSON value as text). */
    private static final Map<String, String> REFUSED_UNLESS = Map.of(
            "resample", "2", // PIL's BILINEAR: the resize done here
            "do_convert_rgb", "true", // images are read as RGB
            "do_center_crop", "false");

    /**
     * Reads {@code preprocessor_config.json} from a checkpoint directory, or HF's defaults. A key
     * that is neither read, inert ({@link #INERT}) nor at the value computed here is refused by name.
     */
    public static ViTImageProcessor fromPretrained(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new ViTImageProcessor(null, null, null, null, null, null, null);
        }
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        JsonNode tree = json.readTree(file.toFile());
        if (tree == null || !tree.isObject()) {
            throw new IOException(file + " holds " + tree + "; a preprocessor config is a JSON object");
        }
        List<String> problems = new ArrayList<>();
        tree.fieldNames().forEachRemaining(key -> {
            JsonNode value = tree.get(key);
            if (REFUSED_UNLESS.containsKey(key)) {
                if (!value.isNull() && !value.toString().equals(REFUSED_UNLESS.get(key))) {
                    problems.add(key + " = " + value + " (only " + REFUSED_UNLESS.get(key) + " is computed here)");
                }
            } else if (!READ.contains(key) && !INERT.contains(key)) {
                problems.add(key + " (not read here; it may change the pixel values)");
            }
        });
        if (!problems.isEmpty()) {
            throw new IOException(file + ": settings this image processor does not implement: "
                    + String.join("; ", problems));
        }
        return json.treeToValue(tree, ViTImageProcessor.class);
    }

    /** For a model config: its image size, the rest HF's defaults. */
    public static ViTImageProcessor forSize(int imageSize) {
        return new ViTImageProcessor(null, Map.of("height", imageSize, "width", imageSize), null, null, null, null, null);
    }

    public NDArray process(List<BufferedImage> images, NDManager manager) {
        int height = doResize ? size.get("height") : images.get(0).getHeight();
        int width = doResize ? size.get("width") : images.get(0).getWidth();
        float[] data = new float[images.size() * 3 * height * width];
        int plane = height * width;
        for (int b = 0; b < images.size(); b++) {
            BufferedImage image = doResize ? resize(images.get(b), width, height) : images.get(b);
            if (image.getWidth() != width || image.getHeight() != height) {
                throw new IllegalArgumentException(
                        "without resizing all images must be " + width + "x" + height + ", image " + b
                                + " is " + image.getWidth() + "x" + image.getHeight());
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = image.getRGB(x, y);
                    for (int c = 0; c < 3; c++) {
                        double v = (rgb >> (16 - 8 * c)) & 0xFF;
                        if (doRescale) {
                            v *= rescaleFactor;
                        }
                        if (doNormalize) {
                            v = (v - imageMean.get(c)) / imageStd.get(c);
                        }
                        data[(b * 3 + c) * plane + y * width + x] = (float) v;
                    }
                }
            }
        }
        return manager.create(data, new Shape(images.size(), 3, height, width));
    }

    public NDArray process(BufferedImage image, NDManager manager) {
        return process(List.of(image), manager);
    }

    /** Reads image files (PNG, JPEG, ...) and processes them as one batch. */
    public NDArray processFiles(List<Path> files, NDManager manager) throws IOException {
        List<BufferedImage> images = new java.util.ArrayList<>();
        for (Path file : files) {
            BufferedImage image = ImageIO.read(InputFiles.regular(file, "image").toFile());
            if (image == null) {
                throw new IOException(file + " is not an image this JVM can read (PNG, JPEG, GIF, BMP)");
            }
            images.add(image);
        }
        return process(images, manager);
    }

    private static BufferedImage resize(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }
}
