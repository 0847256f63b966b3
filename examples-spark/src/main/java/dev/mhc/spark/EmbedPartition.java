package dev.mhc.spark;

import dev.mhc.hf.common.SentenceEmbeddings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Embeds one partition's rows, {@code batchSize} at a time, with the executor's shared model. Each
 * output row is the input row with its embedding appended. Rows are read lazily, a batch at a time,
 * so a partition larger than memory streams through.
 */
final class EmbedPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final String model;
    private final int textColumn;
    private final int batchSize;

    EmbedPartition(String model, int textColumn, int batchSize) {
        this.model = model;
        this.textColumn = textColumn;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        SharedModels.Loaded loaded = SharedModels.get(model);
        return new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next == out.size()) {
                    fill();
                }
                return next < out.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }

            private void fill() {
                out.clear();
                next = 0;
                List<Row> batch = new ArrayList<>(batchSize);
                List<String> texts = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && rows.hasNext()) {
                    Row row = rows.next();
                    if (row.isNullAt(textColumn)) {
                        throw new IllegalArgumentException("a row has no text (null in column " + textColumn
                                + "): " + row + "; filter such rows out before embedding");
                    }
                    batch.add(row);
                    texts.add(row.getString(textColumn));
                }
                float[][] embeddings = SentenceEmbeddings.embed(loaded.model(), loaded.tokenizer(), texts);
                for (int i = 0; i < batch.size(); i++) {
                    out.add(withEmbedding(batch.get(i), embeddings[i]));
                }
            }
        };
    }

    private static Row withEmbedding(Row row, float[] embedding) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = embedding;
        return RowFactory.create(values);
    }
}
