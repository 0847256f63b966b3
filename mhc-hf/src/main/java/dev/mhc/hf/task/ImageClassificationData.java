package dev.mhc.hf.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.io.TextLines;
import dev.mhc.core.train.Batch;
import dev.mhc.core.train.Dataset;
import dev.mhc.hf.vit.ViTImageProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Image classification examples as pixel_values [channels, size, size]: from a CSV of grey pixels
 * (one row an image, square, plus a label column; values scaled by the maximum and normalised to
 * [-1, 1] as ViT's default mean/std 0.5 do) or from a folder with one sub-folder of images per class.
 */
public final class ImageClassificationData implements Dataset {

    private final List<float[]> pixels;
    private final long[] labels;
    private final long[] shape;
    private final List<String> classes;

    private ImageClassificationData(List<float[]> pixels, long[] labels, long[] shape, List<String> classes) {
        this.pixels = pixels;
        this.labels = labels;
        this.shape = shape;
        this.classes = classes;
    }

    /**
     * @param maxValue the largest pixel value (16 for the UCI digits, 255 for 8-bit images)
     */
    public static ImageClassificationData fromCsv(Path file, String labelColumn, double maxValue) throws IOException {
        if (!(maxValue > 0) || Double.isInfinite(maxValue)) {
            throw new IllegalArgumentException("max_value must be a number > 0 (the largest pixel value), got " + maxValue);
        }
        List<String> lines = new ArrayList<>();
        TextLines.read(file, "image data", (number, line) -> lines.add(line));
        if (lines.size() < 2) {
            throw new IOException(file + " has no rows");
        }
        String[] header = lines.get(0).split(",");
        int labelAt = java.util.Arrays.asList(header).indexOf(labelColumn);
        if (labelAt < 0) {
            throw new IOException(file + " has no column \"" + labelColumn + "\"; its columns start " + header[0]);
        }
        int pixelCount = header.length - 1;
        int side = (int) Math.round(Math.sqrt(pixelCount));
        if (side * side != pixelCount) {
            throw new IOException(file + " has " + pixelCount + " pixel columns, not a square image");
        }
        List<float[]> pixels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isBlank()) {
                continue;
            }
            String[] cells = lines.get(r).split(",", -1);
            if (cells.length != header.length) {
                throw new IOException(file + " line " + (r + 1) + " has " + cells.length + " cells, expected " + header.length);
            }
            float[] image = new float[pixelCount];
            int p = 0;
            for (int c = 0; c < cells.length; c++) {
                if (c == labelAt) {
                    names.add(cells[c].strip());
                } else {
                    image[p++] = (float) ((pixel(cells[c], maxValue, file, r + 1, header[c]) / maxValue - 0.5) / 0.5);
                }
            }
            pixels.add(image);
        }
        List<String> classes = names.stream().distinct().sorted(ImageClassificationData::compareLabels).toList();
        if (classes.size() < 2) {
            throw new IOException(file + " holds one class " + classes + "; a classifier needs at least two");
        }
        long[] labels = names.stream().mapToLong(classes::indexOf).toArray();
        return new ImageClassificationData(pixels, labels, new long[] {1, side, side}, classes);
    }

    /** A pixel value in [0, maxValue]; anything else is named with its line and column. */
    private static double pixel(String cell, double maxValue, Path file, int line, String column) throws IOException {
        double value;
        try {
            value = Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + " line " + line + ", column " + column + ": \"" + cell + "\" is not a number");
        }
        if (!(value >= 0 && value <= maxValue)) {
            throw new IOException(file + " line " + line + ", column " + column + ": pixel value " + cell
                    + " is outside [0, " + maxValue + "] (max_value); check the file or set max_value");
        }
        return value;
    }

    /** Numbers in numeric order ("2" before "10"), other labels alphabetically. */
    private static int compareLabels(String a, String b) {
        try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** One sub-folder per class (sorted names are the classes), images processed for a ViT. */
    public static ImageClassificationData fromFolders(Path root, ViTImageProcessor processor, NDManager manager)
            throws IOException {
        List<String> classes;
        try (Stream<Path> dirs = Files.list(root)) {
            classes = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
        if (classes.isEmpty()) {
            throw new IOException(root + " has no class sub-folders");
        }
        List<float[]> pixels = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        long[] shape = null;
        for (int k = 0; k < classes.size(); k++) {
            List<Path> files;
            try (Stream<Path> images = Files.list(root.resolve(classes.get(k)))) {
                files = images.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray image = processor.processFiles(List.of(f), scratch);
                    shape = new long[] {image.getShape().get(1), image.getShape().get(2), image.getShape().get(3)};
                    pixels.add(image.toFloatArray());
                    labels.add((long) k);
                }
            }
        }
        return new ImageClassificationData(pixels, labels.stream().mapToLong(Long::longValue).toArray(), shape, classes);
    }

    public List<String> classes() {
        return classes;
    }

    public long label(int index) {
        return labels[index];
    }

    public ImageClassificationData subset(int[] indices) {
        List<float[]> sub = new ArrayList<>();
        long[] subLabels = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            sub.add(pixels.get(indices[i]));
            subLabels[i] = labels[indices[i]];
        }
        return new ImageClassificationData(sub, subLabels, shape, classes);
    }

    @Override
    public int size() {
        return pixels.size();
    }

    @Override
    public Batch batch(NDManager manager, int[] indices) {
        int per = pixels.get(0).length;
        float[] data = new float[indices.length * per];
        long[] batchLabels = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels.get(indices[i]), 0, data, i * per, per);
            batchLabels[i] = labels[indices[i]];
        }
        NDArray images = manager.create(data, new Shape(indices.length, shape[0], shape[1], shape[2]));
        return new Batch(new NDList(images), manager.create(batchLabels));
    }
}
