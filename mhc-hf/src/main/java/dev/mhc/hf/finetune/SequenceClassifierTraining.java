package dev.mhc.hf.finetune;

import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.train.TrainingHistory;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.task.TextClassificationData;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fine-tunes a BERT-family encoder for sequence classification: a linear head on the mean-pooled
 * embedding, optionally LoRA and mHC; writes what trained as a {@link ClassifierDirectory}.
 */
public final class SequenceClassifierTraining {

    private final int loraRank;
    private final List<String> loraTargets;
    private final Connections connections;
    private final int epochs;
    private final int batchSize;
    private final double lr;
    private final double loraLr;
    private final double mhcLr;
    private final long seed;
    private int maxExamples;

    public SequenceClassifierTraining(int loraRank, List<String> loraTargets, Connections connections, int epochs,
            int batchSize, double lr, double loraLr, double mhcLr, long seed) {
        this.loraRank = loraRank;
        this.loraTargets = loraTargets;
        this.connections = connections;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.lr = lr;
        this.loraLr = loraLr;
        this.mhcLr = mhcLr;
        this.seed = seed;
    }

    /**
     * Trains on at most {@code max} examples of the data, drawn at random with the seed (0, the
     * default: all of them).
     */
    public SequenceClassifierTraining maxExamples(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("--max-examples must be 0 (all) or more, got " + max);
        }
        this.maxExamples = max;
        return this;
    }

    /** Trains on the JSONL {@code data} (tokenised with {@code tokenizer}) and writes a {@link ClassifierDirectory}. */
    public TrainingHistory run(PretrainedModel encoder, TextTokenizer tokenizer, Path data, String textField, String labelField,
            Path out, PrintStream log) throws IOException {
        TextClassificationData train = TextClassificationData.fromJsonl(data, textField, labelField, tokenizer, null);
        if (maxExamples > 0 && maxExamples < train.size()) {
            int total = train.size();
            train = train.subset(sample(total, maxExamples, seed));
            log.printf(Locale.ROOT, "training on %d of the %d examples (--max-examples, drawn with seed %d)%n",
                    train.size(), total, seed);
        }
        encoder.manager().getEngine().setRandomSeed((int) seed);
        SentenceClassifier classifier = SentenceClassifier.frozen(encoder, train.classes().size());
        if (loraRank > 0) {
            Lora.inject(classifier.encoder(), LoraConfig.of(loraRank, 2.0 * loraRank, 0.0, loraTargets));
            classifier.unfreezeHead();
        }
        connections.inject(classifier.encoder());
        TrainingHistory result = classifier.train(train, epochs, batchSize, seed, lr, loraLr, mhcLr, 1, log);
        ClassifierDirectory.save(classifier, train.classes(), out);
        log.printf(Locale.ROOT, "final training loss %.4f; wrote %s%n",
                result.epochs().get(result.epochs().size() - 1).loss(), out.toAbsolutePath());
        return result;
    }

    /** {@code count} of {@code size} indices drawn without replacement, in file order. */
    private static int[] sample(int size, int count, long seed) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, new Random(seed));
        return indices.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
