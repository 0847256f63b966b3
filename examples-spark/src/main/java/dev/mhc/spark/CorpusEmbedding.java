package dev.mhc.spark;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Sentence embeddings of a table of texts, computed where the rows are: each partition is embedded
 * by the model its executor opened once ({@link SharedModels}), in batches. The result has the input
 * columns plus {@code embedding} (array of float, unit length): the numbers {@code mhc embed} gives.
 */
public final class CorpusEmbedding {

    /** The column added to each row. */
    public static final String EMBEDDING = "embedding";

    private CorpusEmbedding() {}

    /**
     * @param model {@code minilm} or a checkpoint directory every executor can read
     * @param textColumn the string column to embed
     * @param batchSize texts per forward (padded to the batch's longest)
     */
    public static Dataset<Row> embed(Dataset<Row> texts, String model, String textColumn, int batchSize) {
        StructType schema = texts.schema();
        int column = columnIndex(schema, textColumn);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (Arrays.asList(schema.fieldNames()).contains(EMBEDDING)) {
            throw new IllegalArgumentException("the input already has a column \"" + EMBEDDING
                    + "\": drop or rename it first");
        }
        StructType out = schema.add(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        return texts.mapPartitions(new EmbedPartition(model, column, batchSize), Encoders.row(out));
    }

    private static int columnIndex(StructType schema, String name) {
        for (int i = 0; i < schema.fields().length; i++) {
            StructField field = schema.fields()[i];
            if (field.name().equals(name)) {
                if (!(field.dataType() instanceof StringType)) {
                    throw new IllegalArgumentException("column \"" + name + "\" holds " + field.dataType()
                            .simpleString() + ", not text: name the string column to embed");
                }
                return i;
            }
        }
        throw new IllegalArgumentException("no column \"" + name + "\" to embed; the columns are "
                + Arrays.toString(schema.fieldNames()));
    }
}
