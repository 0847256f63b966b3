package dev.mhc.hf.finetune;

import dev.mhc.core.adapter.Adapters;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.train.TrainingHistory;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.task.Splits;
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

    private final LoraConfig lora;
    private final Connections connections;
    private final TrainingSettings training;
    private int maxExamples;
    private double validationSplit;
    private Long dataSeed;
    private RunFiles runFiles = RunFiles.NONE;

    /** @param lora the adapters to train, or {@code null} to train the head (and connections) only */
    public SequenceClassifierTraining(LoraConfig lora, Connections connections, TrainingSettings training) {
        this.lora = lora;
        this.connections = connections;
        this.training = training;
    }

    /**
     * Trains on at most {@code max} examples of the data, drawn at random with the seed (0, the
     * default: all of them).
     */
    public SequenceClassifierTraining maxExamples(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max_examples must be 0 (all) or more, got " + max);
        }
        this.maxExamples = max;
        return this;
    }

    /**
     * Holds out this share of each class (drawn with the seed, before {@link #maxExamples}) and
     * scores every epoch's accuracy on it (0, the default: no validation).
     */
    public SequenceClassifierTraining validationSplit(double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("validation_split must be in [0, 1), got " + share);
        }
        this.validationSplit = share;
        return this;
    }

    /** Draws {@link #maxExamples} and {@link #validationSplit} with this seed (default: the training seed). */
    public SequenceClassifierTraining dataSeed(long seed) {
        this.dataSeed = seed;
        return this;
    }

    /** Writes {@code files} in the same unit as the classifier (default: none). */
    public SequenceClassifierTraining runFiles(RunFiles files) {
        this.runFiles = java.util.Objects.requireNonNull(files, "files");
        return this;
    }

    /** Trains on the JSONL {@code data} (tokenised with {@code tokenizer}) and writes a {@link ClassifierDirectory}. */
    public TrainingHistory run(PretrainedModel encoder, TextTokenizer tokenizer, Path data, String textField, String labelField,
            Path out, PrintStream log) throws IOException {
        TextClassificationData train = TextClassificationData.fromJsonl(data, textField, labelField, tokenizer, null);
        if (train.atMaxLength() > 0) {
            log.printf(Locale.ROOT, "%d of the %d texts reach max_length (%d tokens): longer ones are truncated there%n",
                    train.atMaxLength(), train.size(), tokenizer.maxLength());
        }
        TextClassificationData validation = null;
        long draws = dataSeed != null ? dataSeed : training.seed();
        if (validationSplit > 0) {
            TextClassificationData all = train;
            int[][] split = Splits.stratified(all.size(), all::label, validationSplit, draws);
            train = all.subset(split[0]);
            validation = all.subset(split[1]);
            log.printf(Locale.ROOT, "holding out %d of the %d examples for validation (stratified, seed %d)%n",
                    validation.size(), all.size(), draws);
        }
        if (maxExamples > 0 && maxExamples < train.size()) {
            int total = train.size();
            train = train.subset(sample(total, maxExamples, draws));
            log.printf(Locale.ROOT, "training on %d of the %d examples (max_examples, drawn with seed %d)%n",
                    train.size(), total, draws);
        }
        encoder.manager().getEngine().setRandomSeed((int) training.seed());
        SentenceClassifier classifier = SentenceClassifier.frozen(encoder, train.classes().size());
        if (lora != null) {
            Lora.inject(classifier.encoder(), lora);
            classifier.unfreezeHead();
        }
        connections.inject(classifier.encoder());
        Adapters.unfreezeInjected(classifier.encoder()); // connections a load patch injected train too
        TrainingHistory result = classifier.train(train, training, validation, log);
        ClassifierDirectory.save(classifier, train.classes(), out, runFiles.files(result));
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
