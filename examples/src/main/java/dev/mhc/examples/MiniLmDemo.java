package dev.mhc.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.finetune.SentenceClassifier;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.task.TextClassificationData;
import dev.mhc.hf.tokenize.TextTokenizer;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.MixingWeights;
import dev.mhc.viz.analytics.MixingAnalytics;
import dev.mhc.viz.report.Reading;
import dev.mhc.viz.report.Report;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The main job on the embedded default model, the real all-MiniLM-L6-v2: show that mHC at epsilon 0
 * changes nothing, then train a linear head on a slice of the Austen passages ("which novel?") twice
 * with the same seed and epochs, alone and with mHC (H = 4) learning its mixing weights beside it,
 * print both accuracies, and write the mixing report of the mHC run.
 */
public final class MiniLmDemo {

    private static final int MAX_LENGTH = 64;
    private static final long SEED = 13;

    private MiniLmDemo() {}

    public static void run(PrintStream out, Path reportDir, int epochs) throws IOException {
        try (PretrainedModel miniLm = AutoModel.miniLm();
                TextTokenizer tokenizer = TextTokenizer.fromStream(MiniLmDemo.class.getClassLoader()
                        .getResourceAsStream(AllMiniLmL6V2.TOKENIZER_RESOURCE), MAX_LENGTH);
                NDManager manager = NDManager.newBaseManager()) {
            out.println("model: " + miniLm + ", " + Mhc.class.getSimpleName() + " target BertLayer x6");
            NDList probe = tokenizer.encode(List.of("It is a truth universally acknowledged.",
                    "Emma Woodhouse, handsome, clever, and rich.")).toNDList(manager);
            NDArray plain = miniLm.predict(probe).head();
            Mhc.builder().target("BertLayer").maxHistory(4).epsilon(0).inject(miniLm.block());
            NDArray same = miniLm.predict(probe).head();
            out.printf(Locale.ROOT, "mHC (H=4) at epsilon 0 changes nothing: max abs diff %.2e%n",
                    plain.sub(same).abs().max().getFloat());
            Mhc.remove(miniLm.block());

            TextClassificationData train = load("demo/austen-train.jsonl", tokenizer, null);
            TextClassificationData test = load("demo/austen-test.jsonl", tokenizer, train.classes());
            out.printf(Locale.ROOT, "task: which of %d novels? %d training and %d test passages (a slice shipped with"
                    + " the demo), up to %d tokens; the encoder stays frozen; %d epochs, seed %d%n",
                    train.classes().size(), train.size(), test.size(), MAX_LENGTH, epochs, SEED);

            out.println("(1) a linear head alone");
            double headAlone = trainAndScore(freshHead(miniLm, train), train, test, epochs, out);

            out.println("(2) the same head, same seed, with mHC (H=4): 24 mixing weights train beside it");
            SentenceClassifier withMhc = freshHead(miniLm, train);
            Mhc.builder().target("BertLayer").maxHistory(4).inject(withMhc.encoder());
            MixingSnapshot initial = MixingWeights.extract(withMhc.encoder(), "initialisation");
            double headAndMhc = trainAndScore(withMhc, train, test, epochs, out);
            MixingSnapshot learned = MixingWeights.extract(withMhc.encoder(), "after " + epochs + " epochs");

            out.printf(Locale.ROOT, "test accuracy: head alone %.3f, head + mHC %.3f (chance %.3f; one seed on a"
                    + " small slice: see the README for the measured comparison over seeds)%n", headAlone, headAndMhc,
                    1.0 / train.classes().size());
            Reading.of(MixingAnalytics.analyse(learned)).forEach(sentence -> out.println("  " + sentence));
            Report.Files files = Report.write(List.of(initial, learned), reportDir);
            out.println("report: " + files.html().toAbsolutePath());
        }
    }

    /** A fresh head on the frozen encoder, initialised from the demo's seed. */
    private static SentenceClassifier freshHead(PretrainedModel miniLm, TextClassificationData train) {
        miniLm.manager().getEngine().setRandomSeed((int) SEED);
        return SentenceClassifier.frozen(miniLm, train.classes().size());
    }

    private static double trainAndScore(SentenceClassifier classifier, TextClassificationData train,
            TextClassificationData test, int epochs, PrintStream out) throws IOException {
        classifier.train(train, epochs, SEED, out);
        return classifier.accuracy(test);
    }

    private static TextClassificationData load(String resource, TextTokenizer tokenizer, List<String> classes)
            throws IOException {
        Path file = Files.createTempFile("mhc-demo", ".jsonl");
        try (InputStream in = MiniLmDemo.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return TextClassificationData.fromJsonl(file, "text", "book", tokenizer, classes);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
