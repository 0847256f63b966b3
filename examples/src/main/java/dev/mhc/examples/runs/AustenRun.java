package dev.mhc.examples.runs;

import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.finetune.SentenceClassifier;
import dev.mhc.hf.finetune.TrainingSettings;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.task.Splits;
import dev.mhc.hf.task.TextClassificationData;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Which novel is this passage from?" (6 Austen novels) on the real all-MiniLM-L6-v2, four ways:
 * (a) frozen encoder + linear head, (b) + mHC (H = 4), (c) LoRA r = 8 on query/value + head,
 * (d) LoRA + mHC + head. For each seed, every variant gets the same subsample of passages; the
 * subsample, the head's initialisation and the data order follow the seed.
 */
public final class AustenRun {

    /** How the mixing weights are trained (the knobs tried for mHC on a frozen encoder). */
    public record Mixing(double lr, int warmupEpochs, double epsilon, boolean gate) {
        /** The design card's defaults: rate 2e-2, a tenth of it in the first epoch, epsilon 0.1, no gate. */
        public static final Mixing DEFAULTS = new Mixing(2e-2, 1, 0.1, false);
    }

    private final Path dataDir;
    private final int perClassTrain;
    private final int perClassTest;
    private final int epochs;
    private final int maxLength;
    private final Mixing mixing;

    public AustenRun(Path dataDir, int perClassTrain, int perClassTest, int epochs, int maxLength, Mixing mixing) {
        this.dataDir = dataDir;
        this.perClassTrain = perClassTrain;
        this.perClassTest = perClassTest;
        this.epochs = epochs;
        this.maxLength = maxLength;
        this.mixing = mixing;
    }

    /** Every variant ({@code a}..{@code d}) for every seed, as a record ({@code run-austen}). */
    public RunRecord sweep(List<String> variants, List<Long> seeds, PrintStream out) throws IOException {
        variants.forEach(AustenRun::describe);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", dataDir.toString());
        config.put("model", "all-MiniLM-L6-v2 (embedded), mean-pooled, linear head");
        config.put("train_per_class", perClassTrain);
        config.put("test_per_class", perClassTest);
        config.put("max_length", maxLength);
        config.put("epochs", epochs);
        config.put("batch_size", 16);
        config.put("lr", "head 5e-3 (decay 0.01), LoRA 1e-3, mixing " + mixing.lr());
        config.put("mixing_warmup_epochs", mixing.warmupEpochs());
        config.put("mhc", "H=4 on BertLayer, IDENTITY, epsilon " + mixing.epsilon() + (mixing.gate() ? ", gate" : ""));
        config.put("lora", "r=8, alpha=16, dropout 0, query/value");
        Map<String, String> names = new LinkedHashMap<>();
        variants.forEach(v -> names.put(v, describe(v)));
        config.put("variants", names);
        return SeedSweep.run("austen", "test accuracy", variants, seeds, config,
                (variant, seed) -> variant(variant, seed, out), out);
    }

    private SeedSweep.Measurement variant(String variant, long seed, PrintStream out) throws IOException {
        TextClassificationData train;
        TextClassificationData test;
        try (TextTokenizer tokenizer = TextTokenizer.fromStream(
                AustenRun.class.getClassLoader().getResourceAsStream(AllMiniLmL6V2.TOKENIZER_RESOURCE), maxLength)) {
            TextClassificationData all = TextClassificationData.fromJsonl(dataDir.resolve("austen_train.jsonl"), "text",
                    "book", tokenizer, null);
            train = all.subset(Splits.perClass(all.size(), all::label, perClassTrain, seed));
            TextClassificationData heldOut = TextClassificationData.fromJsonl(dataDir.resolve("austen_test.jsonl"),
                    "text", "book", tokenizer, all.classes());
            test = heldOut.subset(Splits.perClass(heldOut.size(), heldOut::label, perClassTest, seed));
        }
        try (PretrainedModel miniLm = AutoModel.miniLm()) {
            miniLm.manager().getEngine().setRandomSeed((int) seed);
            SentenceClassifier classifier = SentenceClassifier.frozen(miniLm, train.classes().size());
            if (variant.equals("c") || variant.equals("d")) {
                Lora.inject(classifier.encoder(), LoraConfig.of(8, 16, 0.0, List.of("query", "value")));
                classifier.unfreezeHead();
            }
            if (variant.equals("b") || variant.equals("d")) {
                Mhc.builder().target("BertLayer").maxHistory(4).epsilon(mixing.epsilon()).gate(mixing.gate())
                        .inject(classifier.encoder());
            }
            out.printf(Locale.ROOT, "(%s) %s: %d train passages, %d test, seed %d%n", variant, describe(variant),
                    train.size(), test.size(), seed);
            long start = System.nanoTime();
            classifier.train(train, new TrainingSettings(epochs, 16, 5e-3, 1e-3, mixing.lr(), mixing.warmupEpochs(), 1, 1.0,
                    seed, null), out);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new SeedSweep.Measurement(classifier.accuracy(test), seconds, classifier.trainable());
        }
    }

    static String describe(String variant) {
        return switch (variant) {
            case "a" -> "frozen encoder + linear head";
            case "b" -> "frozen encoder + mHC (H=4) + head";
            case "c" -> "LoRA r=8 on query/value + head";
            case "d" -> "LoRA + mHC + head";
            default -> throw new IllegalArgumentException("variant must be a, b, c or d, got " + variant);
        };
    }
}
