package dev.mhc.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.finetune.ClassifierDirectory;
import dev.mhc.hf.finetune.SentenceClassifier;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mhc classify}: label texts with a classifier {@code mhc finetune} wrote. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify texts with the encoder plus what mhc finetune wrote (head, adapters/, mhc/).")
final class ClassifyCommand implements Callable<Integer> {

    @Mixin ModelArgument model;
    @Option(names = "--classifier", required = true, description = "the --out directory of mhc finetune") Path dir;
    @Option(names = "--text", required = true, description = "a text; repeat for more") List<String> texts;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) { // before the model loads
            throw new IllegalArgumentException("--classifier " + dir + " is not a directory: give the --out directory"
                    + " of mhc finetune --task seq-cls");
        }
        try (PretrainedModel encoder = model.open();
                TextTokenizer tokenizer = model.tokenizer(512);
                NDManager manager = encoder.manager().newSubManager()) {
            ClassifierDirectory.Loaded loaded = ClassifierDirectory.load(encoder, dir);
            SentenceClassifier classifier = loaded.classifier();
            List<String> labels = loaded.labels();
            NDArray probabilities = classifier.logits(tokenizer.encode(texts).toNDList(manager)).softmax(-1);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                float[] p = probabilities.get(i).toFloatArray();
                int best = 0;
                for (int k = 1; k < p.length; k++) {
                    best = p[k] > p[best] ? k : best;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("text", texts.get(i));
                row.put("label", labels.get(best));
                row.put("probability", p[best]);
                rows.add(row);
                if (!json) {
                    System.out.printf(Locale.ROOT, "%s -> %s (%.3f)%n", texts.get(i), labels.get(best), p[best]);
                }
            }
            if (json) {
                System.out.println(Json.of(rows));
            }
        }
        return 0;
    }
}
