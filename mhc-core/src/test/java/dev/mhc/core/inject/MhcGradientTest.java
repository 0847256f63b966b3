package dev.mhc.core.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.mhc.core.testing.ManagedTest;
import dev.mhc.core.testing.ScaleStack;
import dev.mhc.core.testing.ToyEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients through the mix, against derivatives worked out by hand. */
class MhcGradientTest extends ManagedTest {

    private static final float W1 = 2f, W2 = 3f, W3 = 0.5f, X0 = 1.5f;
    private static final float[][] A = {{0.7f, 0f, 0f}, {0.8f, 0.3f, 0f}, {0.6f, 0.25f, -0.5f}};

    /** Three scale layers, free weights A, loss = output; returns the injected layers. */
    private List<InjectedMHC> backward(ScaleStack model, boolean detach) {
        List<InjectedMHC> layers =
                Mhc.builder()
                        .target("ScaleLayer")
                        .maxHistory(3)
                        .constraint(Constraint.NONE)
                        .detachHistory(detach)
                        .inject(model);
        for (int i = 0; i < 3; i++) {
            layers.get(i).setWeights(A[i], null);
        }
        ParameterStore ps = new ParameterStore(manager, false);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray out = model.forward(ps, new NDList(manager.create(new float[] {X0})), true).head();
            collector.backward(out.sum());
        }
        return layers;
    }

    private static float gradient(ai.djl.nn.Parameter parameter, int index) {
        return parameter.getArray().getGradient().getFloat(index);
    }

    @Test
    void historyPathCarriesGradientWithoutDetach() {
        ScaleStack model = new ScaleStack(manager, W1, W2, W3);
        List<InjectedMHC> layers = backward(model, false);
        float o1 = W1 * A[0][0] * X0;
        // dL/do1 = w3 (A3,0 w2 A2,0 + A3,1): through layer 2 and through layer 3's history.
        float dO1 = W3 * (A[2][0] * W2 * A[1][0] + A[2][1]);
        assertEquals(dO1 * A[0][0] * X0, gradient(model.layer(0).weight(), 0), 1e-5);
        assertEquals(W3 * o1, gradient(layers.get(2).alpha(), 1), 1e-5);
    }

    @Test
    void detachCutsTheHistoryPathButNotTheMixingWeights() {
        ScaleStack model = new ScaleStack(manager, W1, W2, W3);
        List<InjectedMHC> layers = backward(model, true);
        float o1 = W1 * A[0][0] * X0;
        float dO1 = W3 * A[2][0] * W2 * A[1][0]; // the history term is gone
        assertEquals(dO1 * A[0][0] * X0, gradient(model.layer(0).weight(), 0), 1e-5);
        // The current entry is never detached, and alpha still learns from detached history.
        float o2 = W2 * (A[1][0] * o1 + A[1][1] * X0);
        assertEquals(W3 * o2, gradient(layers.get(2).alpha(), 0), 1e-5);
        assertEquals(W3 * o1, gradient(layers.get(2).alpha(), 1), 1e-5);
        assertEquals(W3 * X0, gradient(layers.get(2).alpha(), 2), 1e-5);
    }

    @Test
    void identityMixingWeightsReceiveGradientInARealStack() {
        ToyEncoder model = ToyEncoder.of(4, manager);
        Mhc.injectMhc(model, "ToyLayer", 4);
        List<InjectedMHC> layers = Mhc.layers(model);
        ParameterStore ps = new ParameterStore(manager, false);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray out = model.forward(ps, new NDList(ToyEncoder.input(manager, 2)), true).head();
            collector.backward(out.square().sum());
        }
        for (int i = 1; i < 4; i++) {
            float[] grad = layers.get(i).alpha().getArray().getGradient().toFloatArray();
            for (int k = 0; k <= i; k++) {
                assertNotEquals(0f, grad[k], "layer " + i + " offset " + k);
                assertTrue(Float.isFinite(grad[k]));
            }
        }
    }
}
