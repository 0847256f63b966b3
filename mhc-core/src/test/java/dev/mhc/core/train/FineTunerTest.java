package dev.mhc.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.Weights;
import dev.mhc.testing.ManagedTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest extends ManagedTest {

    @TempDir Path dir;

    /** body: Linear 4->8, tanh; head: Linear 8->3 logits. */
    static final class Classifier extends Module {
        Classifier() {
            register("body", new Linear(4, 8));
            register("head", new Linear(8, 3));
        }

        @Override
        protected NDList forwardModule(Forward f, NDList in) {
            NDArray h = f.outputs("body", in).head().tanh();
            return f.outputs("head", h);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 3)};
        }
    }

    /** Three Gaussian blobs in 4-D. */
    static final class Blobs implements Dataset {
        final float[][] x = new float[120][4];
        final long[] y = new long[120];

        Blobs() {
            Random random = new Random(3);
            for (int i = 0; i < x.length; i++) {
                y[i] = i % 3;
                for (int d = 0; d < 4; d++) {
                    x[i][d] = (float) (random.nextGaussian() * 0.5 + (d == y[i] ? 2 : 0));
                }
            }
        }

        @Override
        public int size() {
            return x.length;
        }

        @Override
        public Batch batch(NDManager manager, int[] indices) {
            float[][] rows = new float[indices.length][];
            long[] labels = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                rows[i] = x[indices[i]];
                labels[i] = y[indices[i]];
            }
            return new Batch(new NDList(manager.create(rows)), manager.create(labels));
        }
    }

    private Classifier model() {
        Classifier model = new Classifier();
        manager.getEngine().setRandomSeed(11);
        Weights.initialize(model, manager);
        ModuleTree.parameters(model).values().forEach(p -> p.freeze(false));
        return model;
    }

    private static List<ParamGroup> oneGroup(double lr) {
        return List.of(new ParamGroup("all", ParamGroup.everything(), lr, 0, Schedule.constant()));
    }

    private double accuracy(Classifier model, Blobs data) {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try (NDManager call = manager.newSubManager()) {
            Batch batch = data.batch(call, all);
            NDArray predicted = model.forward(new ParameterStore(call, false), batch.inputs(), false).head().argMax(-1);
            return predicted.eq(batch.labels()).sum().getLong() / (double) all.length;
        }
    }

    private static Map<String, float[]> values(Map<String, Parameter> parameters) {
        return TrainingState.snapshot(parameters);
    }

    private static void assertSameValues(Map<String, float[]> a, Map<String, float[]> b, float tol) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), tol, k));
    }

    @Test
    void lossFallsAndTheSummaryCountsGroups() throws IOException {
        Classifier model = model();
        Blobs data = new Blobs();
        double before = accuracy(model, data);
        ModuleTree.parameters(model).get("body.bias").freeze(true);
        List<ParamGroup> groups = List.of(
                new ParamGroup("head", ParamGroup.keysContaining("head."), 0.05, 0.01, Schedule.constant()),
                new ParamGroup("body", ParamGroup.everything(), 0.05, 0, Schedule.constant()));
        try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(), TrainConfig.of(5, 16, 1), manager)) {
            String summary = tuner.summary();
            assertTrue(summary.contains("head                       27        2"), summary);
            assertTrue(summary.contains("body                       32        1"), summary);
            assertTrue(summary.contains("frozen                      8"), summary);
            TrainingHistory history = tuner.fit(data, m -> accuracy((Classifier) m, data));
            assertEquals(5, history.epochs().size());
            assertTrue(history.epochs().get(4).loss() < history.epochs().get(0).loss() * 0.5, history.toString());
        }
        assertTrue(accuracy(model, data) > 0.9 && accuracy(model, data) > before);
    }

    @Test
    void frozenStaysBitIdenticalAndAZeroRateGroupDoesNotMove() throws IOException {
        Classifier model = model();
        ModuleTree.parameters(model).get("body.weight").freeze(true);
        Map<String, float[]> start = values(ModuleTree.parameters(model));
        List<ParamGroup> groups = List.of(
                new ParamGroup("still", ParamGroup.keysContaining("body."), 0, 0, Schedule.constant()),
                new ParamGroup("warm", ParamGroup.everything(), 0.05, 0, Schedule.warmupEpochs(1, 0)));
        try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(),
                TrainConfig.of(1, 16, 1), manager)) {
            tuner.fit(new Blobs(), null);
        }
        Map<String, float[]> afterWarmup = values(ModuleTree.parameters(model));
        assertSameValues(start, afterWarmup, 0f); // epoch 0 at warm-up factor 0: nothing moved
        try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(),
                TrainConfig.of(2, 16, 1).withCheckpoints(dir), manager)) {
            tuner.fit(new Blobs(), null);
        }
        Map<String, float[]> after = values(ModuleTree.parameters(model));
        assertArrayEquals(start.get("body.weight"), after.get("body.weight"), 0f);
        assertArrayEquals(start.get("body.bias"), after.get("body.bias"), 0f);
        assertTrue(Math.abs(start.get("head.weight")[0] - after.get("head.weight")[0]) > 0, "head trained in epoch 1");
        try (SafetensorsFile saved = SafetensorsFile.open(dir.resolve("epoch-1").resolve(TrainingCheckpoint.TRAINABLE))) {
            assertEquals(List.of("body.bias", "head.weight", "head.bias"), saved.names(), "trainable parameters only");
        }
    }

    @Test
    void accumulatingMicroBatchesEqualsOneLargeBatch() throws IOException {
        Classifier a = model();
        Classifier b = model();
        try (FineTuner large = new FineTuner(a, oneGroup(0.01), Loss.softmaxCrossEntropy(), TrainConfig.of(2, 8, 1), manager);
                FineTuner micro = new FineTuner(b, oneGroup(0.01), Loss.softmaxCrossEntropy(),
                        TrainConfig.of(2, 4, 1).withAccumulation(2), manager)) {
            large.fit(new Blobs(), null);
            micro.fit(new Blobs(), null);
        }
        assertSameValues(values(ModuleTree.parameters(a)), values(ModuleTree.parameters(b)), 1e-5f);
    }

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun() throws IOException {
        Classifier straight = model();
        try (FineTuner tuner = new FineTuner(straight, oneGroup(0.02), Loss.softmaxCrossEntropy(),
                TrainConfig.of(3, 16, 5), manager)) {
            tuner.fit(new Blobs(), null);
        }
        Classifier interrupted = model();
        try (FineTuner tuner = new FineTuner(interrupted, oneGroup(0.02), Loss.softmaxCrossEntropy(),
                TrainConfig.of(1, 16, 5).withCheckpoints(dir), manager)) {
            tuner.fit(new Blobs(), null);
        }
        Classifier resumed = model();
        try (FineTuner tuner = new FineTuner(resumed, oneGroup(0.02), Loss.softmaxCrossEntropy(),
                TrainConfig.of(3, 16, 5), manager)) {
            TrainingHistory history = tuner.resume(new Blobs(), null, dir.resolve("epoch-0"));
            assertEquals(3, history.epochs().size());
        }
        assertSameValues(values(ModuleTree.parameters(straight)), values(ModuleTree.parameters(resumed)), 1e-6f);
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() throws IOException {
        Classifier model = model();
        double[] scores = {0.5, 0.9, 0.6, 0.4, 0.3};
        int[] calls = {0};
        Map<String, float[]>[] atBest = new Map[1];
        try (FineTuner tuner = new FineTuner(model, oneGroup(0.05), Loss.softmaxCrossEntropy(),
                TrainConfig.of(5, 16, 1).withPatience(2), manager)) {
            TrainingHistory history = tuner.fit(new Blobs(), m -> {
                if (calls[0] == 1) {
                    atBest[0] = values(ModuleTree.parameters(m));
                }
                return scores[calls[0]++];
            });
            assertTrue(history.stoppedEarly());
            assertEquals(1, history.bestEpoch());
            assertEquals(4, history.epochs().size());
        }
        assertSameValues(atBest[0], values(ModuleTree.parameters(model)), 0f);
    }

    @Test
    void clippingBoundsTheGlobalNormAndAdamWDecaysOnlyWhereSet() {
        NDArray g1 = manager.create(new float[] {3, 0});
        NDArray g2 = manager.create(new float[] {0, 4});
        assertEquals(5.0, FineTuner.clipGlobalNorm(List.of(g1, g2), 1.0), 1e-6);
        assertEquals(1.0, Math.hypot(g1.getFloat(0), g2.getFloat(1)), 1e-5);
        try (AdamW adam = new AdamW(manager)) {
            NDArray w = manager.create(new float[] {2, -4});
            adam.beginStep();
            adam.update("w", w, manager.zeros(new Shape(2)), 0.1, 0.5);
            assertArrayEquals(new float[] {2 * 0.95f, -4 * 0.95f}, w.toFloatArray(), 1e-6f);
            NDArray u = manager.create(new float[] {2, -4});
            adam.update("u", u, manager.zeros(new Shape(2)), 0.1, 0);
            assertArrayEquals(new float[] {2, -4}, u.toFloatArray(), 0f);
        }
    }

    @Test
    void mistakesAreClearErrors() {
        Classifier model = model();
        List<ParamGroup> headOnly = List.of(new ParamGroup("head", ParamGroup.keysContaining("head."), 0.1, 0,
                Schedule.constant()));
        IllegalArgumentException unassigned = assertThrows(IllegalArgumentException.class,
                () -> new FineTuner(model, headOnly, Loss.softmaxCrossEntropy(), TrainConfig.of(1, 4, 1), manager));
        assertTrue(unassigned.getMessage().startsWith("2 trainable parameters belong to no group: [body.weight, body.bias]"),
                unassigned.getMessage());
        Blobs broken = new Blobs();
        broken.x[7][2] = Float.NaN;
        try (FineTuner tuner = new FineTuner(model(), oneGroup(0.1), Loss.softmaxCrossEntropy(),
                TrainConfig.of(3, 4, 1), manager)) {
            IllegalStateException diverged = assertThrows(IllegalStateException.class, () -> tuner.fit(broken, null));
            assertTrue(diverged.getMessage().startsWith("the loss is NaN at epoch 0, batch"), diverged.getMessage());
        }
        try (FineTuner tuner = new FineTuner(model(), oneGroup(0.1), Loss.softmaxCrossEntropy(), TrainConfig.of(1, 4, 1),
                manager)) {
            Dataset empty = new Dataset() {
                @Override
                public int size() {
                    return 0;
                }

                @Override
                public Batch batch(NDManager m, int[] indices) {
                    throw new AssertionError();
                }
            };
            assertThrows(IllegalArgumentException.class, () -> tuner.fit(empty, null));
        }
    }

    @Test
    void aNonFiniteGradientStopsTrainingBeforeAnyWeightOrCheckpointChanges() {
        Classifier model = model();
        Map<String, float[]> start = values(ModuleTree.parameters(model));
        // sqrt at 0 has an infinite derivative: the loss is a finite 0 but its gradient is NaN
        Loss sqrtAtZero = (outputs, labels) -> outputs.head().sub(outputs.head()).sqrt().sum();
        Path checkpoints = dir.resolve("checkpoints");
        try (FineTuner tuner = new FineTuner(model, oneGroup(0.1), sqrtAtZero,
                TrainConfig.of(2, 4, 1).withCheckpoints(checkpoints), manager)) {
            IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> tuner.fit(new Blobs(), null));
            assertTrue(stopped.getMessage().startsWith("the gradient is NaN at epoch 0, batch 0, though the loss is"
                    + " finite (non-finite gradients: [body.weight, body.bias, head.weight, head.bias]); no weight was"
                    + " changed"), stopped.getMessage());
        }
        assertSameValues(start, values(ModuleTree.parameters(model)), 0f);
        assertTrue(!java.nio.file.Files.exists(checkpoints), "no checkpoint was written");
    }

    @Test
    void aCheckpointOfNonFiniteWeightsIsRefused() {
        Classifier model = model();
        ModuleTree.parameters(model).get("head.bias").getArray().set(new float[] {0, Float.NaN, 0});
        Path checkpoint = dir.resolve("epoch-0");
        try (FineTuner tuner = new FineTuner(model, oneGroup(0.1), Loss.softmaxCrossEntropy(), TrainConfig.of(1, 4, 1),
                manager)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TrainingCheckpoint.write(
                    checkpoint, TrainingState.start(), tuner.trainable(), new AdamW(manager)));
            assertEquals("refusing to write checkpoint " + checkpoint + ": parameters [head.bias] hold NaN or infinity",
                    refused.getMessage());
        }
        assertTrue(!java.nio.file.Files.exists(checkpoint), "nothing was written");
    }
}
