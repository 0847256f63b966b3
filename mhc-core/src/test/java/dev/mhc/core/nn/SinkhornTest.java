package dev.mhc.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mhc.testing.ManagedTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The projection is doubly stochastic whatever the logits, never NaN, and its gradient is right. */
class SinkhornTest extends ManagedTest {

    private static final int N = 4;

    private void assertDoublyStochastic(float[] logits, String what) {
        NDArray m = Sinkhorn.project(manager.create(logits, new Shape(N, N)), 20);
        float[] p = m.toFloatArray();
        for (int i = 0; i < N; i++) {
            double row = 0;
            double column = 0;
            for (int j = 0; j < N; j++) {
                assertTrue(Float.isFinite(p[i * N + j]) && p[i * N + j] >= 0, what + ": entry " + p[i * N + j]);
                row += p[i * N + j];
                column += p[j * N + i];
            }
            assertEquals(1, row, 1e-5, what + ": row " + i);
            assertEquals(1, column, 1e-5, what + ": column " + i);
        }
    }

    @Test
    void randomAndAdversarialLogitsGiveDoublyStochasticMatrices() {
        Random random = new Random(1);
        for (int trial = 0; trial < 20; trial++) {
            float[] logits = new float[N * N];
            for (int k = 0; k < logits.length; k++) {
                logits[k] = (float) random.nextGaussian() * 3; // spread: 20 plain iterations leave rows 3.6e-2 off
            }
            assertDoublyStochastic(logits, "random " + trial);
        }
        float[] huge = new float[N * N];
        for (int k = 0; k < huge.length; k++) {
            huge[k] = k % 3 == 0 ? 1e4f : -1e4f;
        }
        assertDoublyStochastic(huge, "logits of +-1e4");
        assertDoublyStochastic(new float[N * N], "all equal");
        float[] oneHuge = new float[N * N];
        oneHuge[5] = 1e4f;
        assertDoublyStochastic(oneHuge, "one huge");
        float[] column = new float[N * N];
        for (int i = 0; i < N; i++) {
            column[i * N] = 1e4f; // every row prefers column 0
        }
        assertDoublyStochastic(column, "one column for every row");
    }

    @Test
    void theJavaProjectionAgreesWithTheEngines() {
        Random random = new Random(2);
        double[][] logits = new double[N][N];
        float[] flat = new float[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                logits[i][j] = random.nextGaussian() * 2;
                flat[i * N + j] = (float) logits[i][j];
            }
        }
        double[][] expected = Sinkhorn.project(logits, 20);
        float[] actual = Sinkhorn.project(manager.create(flat, new Shape(N, N)), 20).toFloatArray();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                assertEquals(expected[i][j], actual[i * N + j], 1e-6);
            }
        }
    }

    /** d sum(w * P(L)) / dL against central differences, in float64. */
    @Test
    void gradientMatchesFiniteDifferences() {
        Random random = new Random(3);
        double[] logits = new double[N * N];
        double[] weights = new double[N * N];
        for (int k = 0; k < logits.length; k++) {
            logits[k] = random.nextGaussian();
            weights[k] = random.nextGaussian();
        }
        NDArray w = manager.create(weights, new Shape(N, N));
        NDArray l = manager.create(logits, new Shape(N, N));
        l.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(Sinkhorn.project(l, 20).mul(w).sum());
        }
        double[] gradient = l.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        double h = 1e-6;
        for (int k = 0; k < logits.length; k++) {
            double[] plus = logits.clone();
            double[] minus = logits.clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (objective(plus, w) - objective(minus, w)) / (2 * h);
            assertEquals(numeric, gradient[k], 1e-6, "d/dL[" + k + "]");
        }
    }

    private double objective(double[] logits, NDArray w) {
        return Sinkhorn.project(manager.create(logits, new Shape(N, N)), 20).mul(w).sum().getDouble();
    }
}
