package dev.mhc.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import dev.mhc.core.testing.GcPressure;
import dev.mhc.testing.ManagedTest;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients through array-number arithmetic stay right when the garbage collector runs between
 * the forward and the backward pass (DJL's own {@code mul(Number)} and friends failed this: their
 * scalar's memory was freed while autograd still read it).
 */
class ScalarsTest extends ManagedTest {

    private static final float[] X = {-2f, 0.5f, 3f};

    private float[] gradient(UnaryOperator<NDArray> f) {
        NDArray x = manager.create(X);
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(x).sum();
            GcPressure.apply();
            collector.backward(y);
        }
        return x.getGradient().toFloatArray();
    }

    @Test
    void mulDivPowMaximumMinimumHaveTheirDerivatives() {
        for (int round = 0; round < 5; round++) {
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, gradient(x -> Scalars.mul(x, 2.5)), "d(x*2.5)/dx");
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, gradient(x -> Scalars.div(x, 4)), "d(x/4)/dx");
            assertArrayEquals(new float[] {12f, 0.75f, 27f}, gradient(x -> Scalars.pow(x, 3)), 1e-5f, "d(x^3)/dx");
            assertArrayEquals(new float[] {0f, 0f, 1f}, gradient(x -> Scalars.maximum(x, 1)), "d max(x,1)/dx");
            assertArrayEquals(new float[] {1f, 1f, 0f}, gradient(x -> Scalars.minimum(x, 1)), "d min(x,1)/dx");
        }
    }

    @Test
    void resultsMatchPlainArithmetic() {
        NDArray x = manager.create(X);
        assertArrayEquals(new float[] {-5f, 1.25f, 7.5f}, Scalars.mul(x, 2.5).toFloatArray());
        assertArrayEquals(new float[] {-0.5f, 0.125f, 0.75f}, Scalars.div(x, 4).toFloatArray());
        assertArrayEquals(new float[] {-8f, 0.125f, 27f}, Scalars.pow(x, 3).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-4f, 1f, 6f}, Scalars.muli(x, 2).toFloatArray());
        assertArrayEquals(new float[] {-4f, 1f, 6f}, x.toFloatArray(), "muli works in place");
    }
}
