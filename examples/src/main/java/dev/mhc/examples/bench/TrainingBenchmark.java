package dev.mhc.examples.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.train.Batch;
import dev.mhc.core.train.Dataset;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.ParamGroups;
import dev.mhc.core.train.Schedule;
import dev.mhc.core.train.TrainConfig;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.finetune.SentenceClassifier;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fine-tuning steps (forward, backward, clipping, AdamW) on the embedded MiniLM with a mean-pool
 * head, batches of 32 x 64 tokens: what history mixing adds to a LoRA step, what a step costs
 * against the same model's inference forward (a backward is about two forwards, so about 3x), and
 * the memory a step adds with the history detached from the graph or not.
 */
public final class TrainingBenchmark {

    private static final int BATCH = 32;
    private static final int SEQ = 64;
    private static final int CLASSES = 4;

    private TrainingBenchmark() {}

    public static void run(Consumer<Figure> figures) throws Exception {
        int threads = MiniLmBenchmark.threads();
        try (PretrainedModel encoder = AutoModel.miniLm()) {
            SentenceClassifier classifier = SentenceClassifier.frozen(encoder, CLASSES);
            Lora.inject(classifier.model(), LoraConfig.of(8, 16, 0.0, List.of("query", "value")));
            classifier.unfreezeHead();
            double[][] rounds = Rounds.interleave(5, 4, runs -> steps(classifier, encoder.manager(), runs),
                    runs -> withMhc(classifier, () -> steps(classifier, encoder.manager(), runs)),
                    runs -> withMhc(classifier, () -> forwards(classifier, encoder.manager(), runs)));
            figures.accept(Figure.of("mhc-train-step-overhead", "ms", rounds[1], "LoRA step without mHC", rounds[0],
                    threads));
            figures.accept(Figure.of("train-step-vs-forward", "ms", rounds[1], "forward, LoRA + mHC", rounds[2],
                    threads));
            System.err.printf(java.util.Locale.ROOT, "  LoRA + mHC + head: %.1f examples/s%n",
                    BATCH * 1000 / Figure.median(rounds[1]));
        }
        double[] detached = new double[3];
        double[] attached = new double[3];
        for (int r = 0; r < 3; r++) {
            detached[r] = freshStepPeak(true);
            attached[r] = freshStepPeak(false);
        }
        figures.accept(Figure.of("mhc-train-step-memory-detach", "MB", detached, "detachHistory off", attached,
                threads));
        try (PretrainedModel encoder = AutoModel.miniLm()) {
            SentenceClassifier classifier = SentenceClassifier.frozen(encoder, CLASSES);
            double[][] rounds = Rounds.interleave(5, 4,
                    runs -> withMhc(classifier, () -> steps(classifier, encoder.manager(), runs)),
                    runs -> withMhc(classifier, () -> forwards(classifier, encoder.manager(), runs)));
            figures.accept(Figure.of("train-step-vs-forward-frozen", "ms", rounds[0], "forward, frozen MiniLM + mHC",
                    rounds[1], threads));
            System.err.printf(java.util.Locale.ROOT, "  frozen MiniLM + mHC + head: %.1f examples/s%n",
                    BATCH * 1000 / Figure.median(rounds[0]));
        }
    }

    private static double[] withMhc(SentenceClassifier classifier, Rounds.Side.Timed body) throws Exception {
        Mhc.injectMhc(classifier.model(), "BertLayer", 4);
        try {
            return body.get();
        } finally {
            Mhc.remove(classifier.model());
        }
    }

    /** The memory one LoRA + mHC step adds over what a fresh process held before it (see {@link #stepPeak}). */
    private static double freshStepPeak(boolean detach) throws Exception {
        try (ChildJvm child = ChildJvm.start(MiniLmWorker.class, entry -> !entry.contains("onnxruntime"),
                MiniLmBenchmark.forwardedProperties())) {
            return child.ask("train-step " + detach)[0];
        }
    }

    /**
     * In a fresh process (freed memory stays resident and is reused, which would hide a later
     * step's peak): builds the LoRA + mHC classifier and returns how far one step raises the
     * resident memory above what the process held before it, in MB.
     */
    static double stepPeak(PretrainedModel encoder, boolean detach) throws Exception {
        SentenceClassifier classifier = SentenceClassifier.frozen(encoder, CLASSES);
        Lora.inject(classifier.model(), LoraConfig.of(8, 16, 0.0, List.of("query", "value")));
        classifier.unfreezeHead();
        Mhc.builder().target("BertLayer").maxHistory(4).detachHistory(detach).inject(classifier.model());
        System.gc();
        double before = BenchInputs.rssMb();
        steps(classifier, encoder.manager(), 1);
        return BenchInputs.peakRssMb() - before;
    }

    /** One epoch of {@code runs} batches; every step is given the epoch's mean step time. */
    private static double[] steps(SentenceClassifier classifier, NDManager manager, int runs) throws Exception {
        List<ParamGroup> groups = ParamGroups.withAdapters(classifier.model(), 1e-2, 0, 1e-3,
                new ParamGroup("head", ParamGroup.everything(), 1e-3, 0.01, Schedule.constant()));
        TrainConfig config = new TrainConfig(1, BATCH, 1, 1.0, 0, 0, null, false);
        try (FineTuner tuner = new FineTuner(classifier.model(), groups, Loss.softmaxCrossEntropy(), config, manager)) {
            long start = System.nanoTime();
            tuner.fit(new RandomTokens(runs * BATCH), null);
            double each = (System.nanoTime() - start) / 1e6 / runs;
            double[] ms = new double[runs];
            java.util.Arrays.fill(ms, each);
            return ms;
        }
    }

    private static double[] forwards(SentenceClassifier classifier, NDManager manager, int runs) throws Exception {
        RandomTokens data = new RandomTokens(BATCH);
        return Rounds.timed(runs, () -> {
            try (NDManager call = manager.newSubManager()) {
                NDList inputs = data.batch(call, new int[BATCH]).inputs();
                classifier.model().forward(new ParameterStore(call, false), inputs, false).head().toFloatArray();
            }
        });
    }

    /** Token ids with random labels; the same batch shape as a padded 64-token batch. */
    private record RandomTokens(int size) implements Dataset {
        @Override
        public Batch batch(NDManager manager, int[] indices) {
            int n = indices.length;
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                labels[i] = Math.floorMod(indices[i] * 7919, CLASSES);
            }
            return new Batch(new NDList(manager.create(BenchInputs.ids(n, SEQ)),
                    manager.create(BenchInputs.filled(n, SEQ, 1)), manager.create(BenchInputs.filled(n, SEQ, 0))),
                    manager.create(labels));
        }
    }
}
