package dev.mhc.cli;

import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.common.SentenceEmbeddings;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mhc embed}: sentence embeddings (mean-pooled, unit length) from a BERT-family model. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Sentence embeddings of texts: mean of the last hidden state over tokens, L2-normalised.")
final class EmbedCommand implements Callable<Integer> {

    @Mixin ModelArgument model;
    @Option(names = "--text", required = true, description = "a text; repeat for more") List<String> texts;
    @Option(names = "--mhc", description = "what mhc inject or finetune wrote (an mhc or streams directory), loaded onto the model") Path mhc;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        try (PretrainedModel opened = model.open(mhc);
                TextTokenizer tokenizer = model.tokenizer(512)) {
            float[][] rows = SentenceEmbeddings.embed(opened, tokenizer, texts);
            if (json) {
                System.out.println(Json.of(Map.of("dim", rows[0].length, "embeddings", rows)));
            } else {
                for (int i = 0; i < rows.length; i++) {
                    System.out.printf(Locale.ROOT, "%s -> [%.4f, %.4f, %.4f, ...] (%d dims)%n", texts.get(i),
                            rows[i][0], rows[i][1], rows[i][2], rows[i].length);
                }
                if (rows.length > 1) {
                    System.out.printf(Locale.ROOT, "cosine(1, 2) = %.4f%n", dot(rows[0], rows[1]));
                }
            }
        }
        return 0;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
