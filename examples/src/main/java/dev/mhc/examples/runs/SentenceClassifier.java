package dev.mhc.examples.runs;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.train.Dataset;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.History;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.Schedule;
import dev.mhc.core.train.TrainConfig;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.bert.BertConfig;
import java.io.PrintStream;
import java.util.List;

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

    public static SentenceClassifier frozen(PretrainedModel encoder, int classes) {
        int hidden = ((BertConfig) encoder.config()).hiddenSize();
        MeanPoolClassifier model = new MeanPoolClassifier(encoder.block(), hidden, classes);
        Weights.initialize(model, encoder.manager());
        ModuleTree.parameters(model).forEach((key, p) -> p.freeze(!key.startsWith("classifier.")));
        return new SentenceClassifier(model, encoder.manager());
    }

    public MeanPoolClassifier model() {
        return model;
    }

    /** Unfreezes the head again (LoRA's injection freezes every other parameter). */
    public void unfreezeHead() {
        ModuleTree.parameters(model).forEach((key, p) -> {
            if (key.startsWith("classifier.")) {
                p.freeze(false);
            }
        });
    }

    public History train(Dataset data, int epochs, long seed, PrintStream log) throws java.io.IOException {
        return train(data, epochs, 16, seed, 5e-3, 1e-3, 2e-2, 1, log);
    }

    /** @param mixingWarmupEpochs epochs at a tenth of {@code mixingLr} (0: the full rate from the start) */
    public History train(Dataset data, int epochs, int batchSize, long seed, double headLr, double loraLr,
            double mixingLr, int mixingWarmupEpochs, PrintStream log) throws java.io.IOException {
        List<ParamGroup> groups = List.of(
                new ParamGroup("mixing", ParamGroup.keysContaining(".mhc_"), mixingLr, 0,
                        Schedule.warmupEpochs(mixingWarmupEpochs, 0.1)),
                new ParamGroup("lora", ParamGroup.keysContaining(".lora_"), loraLr, 0, Schedule.constant()),
                new ParamGroup("head", ParamGroup.everything(), headLr, 0.01, Schedule.constant()));
        TrainConfig config = new TrainConfig(epochs, batchSize, 1, 1.0, seed, 0, null, true);
        try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(), config, manager)) {
            log.print(tuner.summary());
            return tuner.fit(data, null);
        }
    }

    /** @return the trainable scalars (adapters, mixing weights, head) */
    public long trainable() {
        return ModuleTree.parameters(model).values().stream().filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getShape().size()).sum();
    }

    public double accuracy(Dataset data) {
        return Accuracy.of(model, data, manager, 32);
    }
}
