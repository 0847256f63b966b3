package dev.mhc.hf.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.train.Accuracy;
import dev.mhc.core.train.Dataset;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.TrainingHistory;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.bert.BertConfig;
import java.io.IOException;
import java.io.PrintStream;

/**
 * A pretrained BERT-family encoder with a new linear head on its mean-pooled embedding, the
 * encoder frozen; inject LoRA or mHC into {@link #model()} before training to train them too.
 * Training uses the groups the design card recommends: mixing weights without weight decay and at
 * a tenth of their rate in the first epoch, adapters, and the head.
 */
public final class SentenceClassifier {

    private final MeanPoolClassifier model;
    private final NDManager manager;

    private SentenceClassifier(MeanPoolClassifier model, NDManager manager) {
        this.model = model;
        this.manager = manager;
    }

    /** The head's parameters are the keys starting with this. */
    static final String HEAD_PREFIX = "classifier.";

    public static SentenceClassifier frozen(PretrainedModel encoder, int classes) {
        if (!(encoder.config() instanceof BertConfig)) {
            throw new IllegalArgumentException("a sentence classifier takes a BERT-family encoder; " + encoder
                    + " is " + encoder.modelType());
        }
        int hidden = ((BertConfig) encoder.config()).hiddenSize();
        MeanPoolClassifier model = new MeanPoolClassifier(encoder.block(), hidden, classes);
        Weights.initialize(model, encoder.manager());
        ModuleTree.parameters(model).forEach((key, p) -> p.freeze(!key.startsWith(HEAD_PREFIX)));
        return new SentenceClassifier(model, encoder.manager());
    }

    public MeanPoolClassifier model() {
        return model;
    }

    /**
     * The encoder inside the classifier: inject LoRA and connections here, so that their layers are
     * named as on the bare model ({@code encoder.layer.0}) and their saves load onto it too.
     */
    public Block encoder() {
        return model.encoder();
    }

    /** Unfreezes the head again (LoRA's injection freezes every other parameter). */
    public void unfreezeHead() {
        ModuleTree.parameters(model).forEach((key, p) -> {
            if (key.startsWith(HEAD_PREFIX)) {
                p.freeze(false);
            }
        });
    }

    public TrainingHistory train(Dataset data, int epochs, long seed, PrintStream log) throws IOException {
        TrainingSettings d = TrainingSettings.defaults();
        return train(data, new TrainingSettings(epochs, d.batchSize(), d.lr(), d.loraLr(), d.mhcLr(), d.mhcWarmupEpochs(),
                d.accumulation(), d.maxGradNorm(), seed, null), log);
    }

    /** Trains the head (and adapters, mixing weights) with {@code settings}' rate for each group. */
    public TrainingHistory train(Dataset data, TrainingSettings settings, PrintStream log) throws IOException {
        return train(data, settings, null, log);
    }

    /** As {@link #train(Dataset, TrainingSettings, PrintStream)}, scoring each epoch on {@code validation} (accuracy). */
    public TrainingHistory train(Dataset data, TrainingSettings settings, Dataset validation, PrintStream log)
            throws IOException {
        try (FineTuner tuner = new FineTuner(model, settings.groups(model, "head"), Loss.softmaxCrossEntropy(),
                settings.trainConfig(), manager)) {
            log.print(tuner.summary());
            return tuner.fit(data, validation == null ? null : m -> accuracy(validation));
        }
    }

    /** @return the trainable scalars (adapters, mixing weights, head) */
    public long trainable() {
        return ModuleTree.parameters(model).values().stream().filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getShape().size()).sum();
    }

    /** @return the logits of a batch [input_ids, attention_mask, token_type_ids], for inference */
    public NDArray logits(NDList inputs) {
        return model.forward(new ParameterStore(inputs.head().getManager(), false), inputs, false).head();
    }

    public double accuracy(Dataset data) {
        return Accuracy.of(model, data, manager, 32);
    }
}
