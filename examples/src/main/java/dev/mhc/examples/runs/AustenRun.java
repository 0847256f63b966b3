package dev.mhc.examples.runs;

import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.train.History;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.task.Splits;
import dev.mhc.hf.task.TextClassificationData;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * "Which novel is this passage from?" (6 Austen novels) on the real all-MiniLM-L6-v2, four ways:
 * (a) frozen encoder + linear head, (b) + mHC (H = 4), (c) LoRA r = 8 on query/value + head,
 * (d) LoRA + mHC + head; same subsample, split and seed for all four.
 */
public final class AustenRun {

    /** One variant's outcome. */
    public record Result(String variant, double accuracy, double seconds, long trainable, List<History.Epoch> epochs) {}

    private final Path dataDir;
    private final int perClassTrain;
    private final int perClassTest;
    private final int epochs;
    private final int maxLength;
    private final long seed;

    public AustenRun(Path dataDir, int perClassTrain, int perClassTest, int epochs, int maxLength, long seed) {
        this.dataDir = dataDir;
        this.perClassTrain = perClassTrain;
        this.perClassTest = perClassTest;
        this.epochs = epochs;
        this.maxLength = maxLength;
        this.seed = seed;
    }

    public List<Result> run(List<String> variants, PrintStream out) throws IOException {
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
        out.printf(Locale.ROOT, "Austen 6-way: %d train passages (%d per novel), %d test (%d per novel), %d tokens max,"
                + " %d epochs, seed %d%n", train.size(), perClassTrain, test.size(), perClassTest, maxLength, epochs, seed);
        List<Result> results = new ArrayList<>();
        for (String variant : variants) {
            results.add(variant(variant, train, test, out));
        }
        return results;
    }

    private Result variant(String variant, TextClassificationData train, TextClassificationData test, PrintStream out)
            throws IOException {
        try (PretrainedModel miniLm = AutoModel.miniLm()) {
            miniLm.manager().getEngine().setRandomSeed((int) seed);
            SentenceClassifier classifier = SentenceClassifier.frozen(miniLm, train.classes().size());
            if (variant.equals("c") || variant.equals("d")) {
                Lora.inject(classifier.model(), LoraConfig.of(8, 16, 0.0, List.of("query", "value")));
                classifier.unfreezeHead();
            }
            if (variant.equals("b") || variant.equals("d")) {
                Mhc.builder().target("BertLayer").maxHistory(4).inject(classifier.model());
            }
            out.println("(" + variant + ") " + describe(variant));
            long start = System.nanoTime();
            History history = classifier.train(train, epochs, seed, out);
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = classifier.accuracy(test);
            out.printf(Locale.ROOT, "(%s) test accuracy %.4f, train %.0f s, %d trainable parameters%n%n", variant,
                    accuracy, seconds, classifier.trainable());
            return new Result(variant, accuracy, seconds, classifier.trainable(), history.epochs());
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
