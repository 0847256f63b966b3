package dev.mhc.hf.task;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mhc.core.io.TextLines;
import dev.mhc.core.train.Batch;
import dev.mhc.core.train.Dataset;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Sequence classification examples from JSONL ({@code {"text": ..., "label": ...}}, field names
 * configurable), tokenized once; a batch is padded to its longest row. Labels are strings or
 * numbers; their sorted distinct values are the classes, unless given.
 */
public final class TextClassificationData implements Dataset {

    /** Duplicate keys in a row are refused: which of two labels would be meant? */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final List<long[]> ids;
    private final long[] labels;
    private final List<String> classes;
    private final int maxLength;

    private TextClassificationData(List<long[]> ids, long[] labels, List<String> classes, int maxLength) {
        this.ids = ids;
        this.labels = labels;
        this.classes = classes;
        this.maxLength = maxLength;
    }

    /** @param classes the class names in id order, or {@code null} to take the file's sorted labels */
    public static TextClassificationData fromJsonl(Path file, String textField, String labelField,
            TextTokenizer tokenizer, List<String> classes) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        TextLines.read(file, "training data", (number, line) -> {
            if (line.isBlank()) {
                return;
            }
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IOException(file + " line " + number + " is not a JSON object: " + e.getOriginalMessage());
            }
            if (!(row instanceof ObjectNode) || !row.hasNonNull(textField) || !row.hasNonNull(labelField)) {
                throw new IOException(file + " line " + number + " lacks \"" + textField + "\" or \"" + labelField
                        + "\": " + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
            }
            JsonNode text = row.get(textField);
            JsonNode label = row.get(labelField);
            if (!text.isTextual()) {
                throw new IOException(file + " line " + number + ": \"" + textField + "\" must be a string, got " + text);
            }
            if (!label.isTextual() && !label.isIntegralNumber()) {
                throw new IOException(file + " line " + number + ": \"" + labelField + "\" must be a string or an"
                        + " integer (a class name), got " + label);
            }
            texts.add(text.asText());
            labelNames.add(label.asText());
        });
        List<String> names = classes != null ? List.copyOf(classes) : List.copyOf(new TreeSet<>(labelNames));
        if (classes == null && names.size() < 2) {
            throw new IOException(file + " holds " + (names.isEmpty() ? "no example" : "one class " + names)
                    + "; a classifier needs examples of at least two classes");
        }
        long[] labels = new long[texts.size()];
        List<long[]> ids = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            int label = names.indexOf(labelNames.get(i));
            if (label < 0) {
                throw new IOException(file + ": label \"" + labelNames.get(i) + "\" is not one of " + names);
            }
            labels[i] = label;
            ids.add(tokenizer.ids(texts.get(i), true));
        }
        return new TextClassificationData(ids, labels, names, tokenizer.maxLength());
    }

    public List<String> classes() {
        return classes;
    }

    public long label(int index) {
        return labels[index];
    }

    /** @return how many examples reach the tokenizer's max length (their texts were cut there, or end there) */
    public int atMaxLength() {
        return maxLength <= 0 ? 0 : (int) ids.stream().filter(row -> row.length >= maxLength).count();
    }

    /** @return the examples at {@code indices}, as a dataset of their own */
    public TextClassificationData subset(int[] indices) {
        List<long[]> subIds = new ArrayList<>(indices.length);
        long[] subLabels = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            subIds.add(ids.get(indices[i]));
            subLabels[i] = labels[indices[i]];
        }
        return new TextClassificationData(subIds, subLabels, classes, maxLength);
    }

    @Override
    public int size() {
        return ids.size();
    }

    /** Inputs [input_ids, attention_mask, token_type_ids] padded with 0 on the right; labels [batch]. */
    @Override
    public Batch batch(NDManager manager, int[] indices) {
        int width = 0;
        for (int i : indices) {
            width = Math.max(width, ids.get(i).length);
        }
        long[][] rows = new long[indices.length][width];
        long[][] mask = new long[indices.length][width];
        long[] batchLabels = new long[indices.length];
        for (int r = 0; r < indices.length; r++) {
            long[] row = ids.get(indices[r]);
            System.arraycopy(row, 0, rows[r], 0, row.length);
            java.util.Arrays.fill(mask[r], 0, row.length, 1);
            batchLabels[r] = labels[indices[r]];
        }
        return new Batch(new NDList(manager.create(rows), manager.create(mask), manager.zeros(
                new ai.djl.ndarray.types.Shape(indices.length, width), ai.djl.ndarray.types.DataType.INT64)),
                manager.create(batchLabels));
    }
}
