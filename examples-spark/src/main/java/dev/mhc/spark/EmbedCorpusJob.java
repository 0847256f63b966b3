package dev.mhc.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mhc-spark}: embeds every text of a JSON-lines corpus with Spark and writes the rows, with
 * their embeddings, as Parquet. Runs in local mode by default; under {@code spark-submit} it takes
 * the cluster's master.
 */
@Command(name = "mhc-spark", mixinStandardHelpOptions = true,
        description = "Sentence embeddings of a JSON-lines corpus, computed by Spark, written as Parquet.")
public final class EmbedCorpusJob implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", description = "JSON lines, one object per text (a file or a directory of them)")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "where the Parquet files go (must not exist yet)")
    Path output;

    @Option(names = "--model", defaultValue = SharedModels.MINILM,
            description = "minilm or a checkpoint directory every executor can read (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--text-field", defaultValue = "text", description = "the field to embed (default: ${DEFAULT-VALUE})")
    String textField;

    @Option(names = "--batch", defaultValue = "32", description = "texts per forward (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--partitions", description = "repartition the input into this many tasks first")
    Integer partitions;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    /** What a run did, for the caller to print or check. */
    public record Summary(long rows, Path output) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmbedCorpusJob())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("mhc-spark: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        SparkConf conf = new SparkConf().setAppName("mhc-spark embed");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
            Summary summary = run(spark, input, output, model, textField, batchSize, partitions);
            System.out.printf(Locale.ROOT, "embedded %d texts with %s in %.1f s -> %s%n", summary.rows(), model,
                    (System.nanoTime() - start) / 1e9, summary.output());
        }
        return 0;
    }

    /** Reads {@code input}, embeds its {@code textField} and writes Parquet to {@code output}. */
    public static Summary run(SparkSession spark, Path input, Path output, String model, String textField,
            int batchSize, Integer partitions) {
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("no input at " + input + ": give a JSON-lines file or a directory of them");
        }
        if (Files.exists(output)) {
            throw new IllegalArgumentException(output + " already exists: choose a new output directory or delete it");
        }
        Dataset<Row> texts = spark.read().json(input.toString());
        if (partitions != null) {
            texts = texts.repartition(partitions);
        }
        CorpusEmbedding.embed(texts, model, textField, batchSize).write().parquet(output.toString());
        return new Summary(spark.read().parquet(output.toString()).count(), output); // from the footers
    }
}
