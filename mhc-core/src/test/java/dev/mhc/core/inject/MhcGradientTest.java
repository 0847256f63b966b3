package dev.mhc.core.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.mhc.testing.ManagedTest;
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

    /**
     * Two scale layers, free weights, gates g1 = 0.7 and g2 = -0.4 (away from their zero start,
     * with opposite signs): layer i is fed x + tanh(g_i) (mix_i - x).
     */
    @Test
    void gateForwardAndGradientAwayFromZeroMatchTheFormula() {
        float a10 = 0.6f, a20 = 0.8f, a21 = 0.3f, g1 = 0.7f, g2 = -0.4f;
        ScaleStack model = new ScaleStack(manager, W1, W2);
        List<InjectedMHC> layers = Mhc.builder().target("ScaleLayer").maxHistory(2).constraint(Constraint.NONE)
                .gate(true).inject(model);
        layers.get(0).setWeights(new float[] {a10, 0f}, g1);
        layers.get(1).setWeights(new float[] {a20, a21}, g2);
        NDArray out;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            out = model.forward(new ParameterStore(manager, false), new NDList(manager.create(new float[] {X0})), true)
                    .head();
            collector.backward(out.sum());
        }
        double t1 = Math.tanh(g1), t2 = Math.tanh(g2);
        double o1 = W1 * (X0 + t1 * (a10 * X0 - X0));
        double mix2 = a20 * o1 + a21 * X0;
        assertEquals(W2 * (o1 + t2 * (mix2 - o1)), out.getFloat(0), 1e-5, "forward");
        assertEquals(W2 * (mix2 - o1) * (1 - t2 * t2), gradient(layers.get(1).gate(), 0), 1e-5, "dL/dg2");
        double dO1 = W2 * (1 + t2 * (a20 - 1));
        assertEquals(dO1 * W1 * (a10 * X0 - X0) * (1 - t1 * t1), gradient(layers.get(0).gate(), 0), 1e-5, "dL/dg1");
        assertEquals(W2 * t2 * X0, gradient(layers.get(1).alpha(), 1), 1e-5, "dL/da21");
    }

    @Test
    void exactlyTheWeightsCountedAsUnusedGetNoGradient() {
        for (Constraint constraint : Constraint.values()) {
            ToyEncoder model = ToyEncoder.of(5, manager);
            List<InjectedMHC> layers = Mhc.builder().target("ToyLayer").maxHistory(3).constraint(constraint)
                    .gate(true).inject(model);
            // away from the start, where the gate (0) hides every mix and NONE's e_0 mixes x alone
            float[] pattern = {0.9f, 0.4f, -0.2f, 1.3f};
            float[] weights = new float[layers.get(0).config().weightsPerLayer()];
            for (int k = 0; k < weights.length; k++) {
                weights[k] = pattern[k % pattern.length];
            }
            layers.forEach(l -> l.setWeights(weights, 0.5f));
            ParameterStore ps = new ParameterStore(manager, false);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray out = model.forward(ps, new NDList(ToyEncoder.input(manager, 2)), true).head();
                collector.backward(out.square().sum());
            }
            long zeroGradients = 0;
            for (InjectedMHC layer : layers) {
                float[] alpha = layer.alpha().getArray().getGradient().toFloatArray();
                for (int k = 0; k < alpha.length; k++) {
                    int available = layer.available();
                    boolean used = constraint == Constraint.MATRIX
                            ? available > 1 && k / 3 < available && k % 3 < available
                            : k < layer.usedWeights();
                    assertEquals(used, alpha[k] != 0f, constraint + " " + layer.path() + " weight " + k);
                    zeroGradients += used ? 0 : 1;
                }
                zeroGradients += gradient(layer.gate(), 0) == 0f ? 1 : 0;
            }
            assertEquals(zeroGradients, Mhc.unusedParameters(model), constraint.toString());
            assertEquals(zeroGradients, Mixing.unusedInStack(layers.get(0).config(), 5), constraint.toString());
            Mhc.remove(model);
        }
    }
}
