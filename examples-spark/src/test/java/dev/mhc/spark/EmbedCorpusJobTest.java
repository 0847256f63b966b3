package dev.mhc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.common.SentenceEmbeddings;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode on 24 Austen passages (4 per novel) gives the embeddings the
 * single-machine path ({@code mhc embed}'s) gives.
 */
class EmbedCorpusJobTest {

    private static SparkSession spark;
    private static Map<Long, String> texts;
    private static PretrainedModel reference;
    private static TextTokenizer tokenizer;
    @TempDir Path tmp;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("mhc-spark test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        reference = AutoModel.miniLm();
        tokenizer = AllMiniLmL6V2.tokenizer();
        texts = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(passages())) {
            JsonNode row = json.readTree(line);
            texts.put(row.get("id").asLong(), row.get("text").asText());
        }
    }

    @AfterAll
    static void stop() throws IOException {
        spark.close();
        tokenizer.close();
        reference.close();
    }

    @Test
    void batchedPartitionsGiveTheEmbeddingsOfTheSingleMachinePath() {
        Path out = tmp.resolve("embedded");
        EmbedCorpusJob.Summary summary = EmbedCorpusJob.run(spark, passages(), out, "minilm", "text", 4, 3);
        assertEquals(texts.size(), summary.rows());

        Map<Long, float[]> spark = read(out);
        List<Long> ids = new ArrayList<>(texts.keySet());
        float[][] expected = singleMachine(new ArrayList<>(texts.values()));
        for (int i = 0; i < ids.size(); i++) {
            float[] ours = spark.get(ids.get(i));
            assertEquals(384, ours.length);
            for (int d = 0; d < ours.length; d++) {
                // Batches of 4 pad differently from one batch of 24: equal up to float rounding.
                assertEquals(expected[i][d], ours[d], 1e-5f, "passage " + ids.get(i) + ", dimension " + d);
            }
        }
    }

    @Test
    void oneTextPerForwardIsBitIdenticalToEmbeddingEachTextAlone() {
        Path out = tmp.resolve("one-by-one");
        EmbedCorpusJob.run(spark, passages(), out, "minilm", "text", 1, 2);
        Map<Long, float[]> spark = read(out);
        for (Map.Entry<Long, String> text : texts.entrySet()) {
            float[] alone = singleMachine(List.of(text.getValue()))[0];
            assertArrayEquals(alone, spark.get(text.getKey()), "passage " + text.getKey());
        }
    }

    @Test
    void theInputColumnsAreKept() {
        Row first = spark.read().parquet(embed("kept").toString()).orderBy("id").first();
        assertEquals("Sense & Sensibility", first.getAs("book"));
        assertEquals(texts.values().iterator().next(), first.getAs("text"));
    }

    @Test
    void badArgumentsAreRefusedWithWhatToDo() throws IOException {
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> EmbedCorpusJob.run(spark, passages(), existing, "minilm", "text", 4, null));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());

        IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
                () -> EmbedCorpusJob.run(spark, passages(), tmp.resolve("a"), "minilm", "passage", 4, null));
        assertTrue(column.getMessage().contains("no column \"passage\"") && column.getMessage().contains("text"),
                column.getMessage());

        IllegalArgumentException notText = assertThrows(IllegalArgumentException.class,
                () -> EmbedCorpusJob.run(spark, passages(), tmp.resolve("b"), "minilm", "id", 4, null));
        assertTrue(notText.getMessage().contains("not text"), notText.getMessage());

        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> EmbedCorpusJob.run(spark, passages(), tmp.resolve("c"), "minilm", "text", 0, null));
        assertTrue(batch.getMessage().contains("at least 1"), batch.getMessage());
    }

    private Path embed(String name) {
        Path out = tmp.resolve(name);
        EmbedCorpusJob.run(spark, passages(), out, "minilm", "text", 8, null);
        return out;
    }

    private static Map<Long, float[]> read(Path parquet) {
        Map<Long, float[]> byId = new LinkedHashMap<>();
        for (Row row : spark.read().parquet(parquet.toString()).collectAsList()) {
            List<Float> values = row.getList(row.fieldIndex(CorpusEmbedding.EMBEDDING));
            float[] embedding = new float[values.size()];
            for (int i = 0; i < embedding.length; i++) {
                embedding[i] = values.get(i);
            }
            byId.put(row.getAs("id"), embedding);
        }
        return byId;
    }

    /** What {@code mhc embed minilm --text ...} computes: a model of its own, the texts as one batch. */
    private static float[][] singleMachine(List<String> batch) {
        return SentenceEmbeddings.embed(reference, tokenizer, batch);
    }

    private static Path passages() {
        return Path.of("src/test/resources/passages.jsonl");
    }
}
