package dev.mhc.core.inject;

import dev.mhc.core.module.Forward;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.ScaleStack;
import dev.mhc.core.testing.ToyEncoder;
import dev.mhc.core.testing.ToyLayer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an injected model computes, against the formula evaluated by hand. */
class MhcSemanticsTest extends ManagedTest {

    private float[] run(ai.djl.nn.Block model, NDArray x) {
        return model.forward(ps, new NDList(x), false).head().toFloatArray();
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** x~_i = sum_{k=0..a_i} alpha_{i,k} x_{i-k} over raw inputs, then layer i scales by w_i. */
    private static double expected(double x0, float[] w, double[][] alpha, int history) {
        List<Double> raw = new ArrayList<>();
        double x = x0;
        for (int i = 0; i < w.length; i++) {
            raw.add(0, x); // newest first
            int n = Math.min(i + 1, history);
            double mixed = 0;
            for (int k = 0; k < n; k++) {
                mixed += alpha[i][k] * raw.get(k);
            }
            x = w[i] * mixed;
        }
        return x;
    }

    @Test
    void freeWeightsMixRawInputsNewestFirstWithinH() {
        float[] w = {2f, 3f, 0.5f, -1f, 1.5f};
        ScaleStack model = new ScaleStack(manager, w);
        List<InjectedMHC> layers =
                Mhc.builder().target("ScaleLayer").maxHistory(3).constraint(Constraint.NONE).inject(model);
        float[][] weights = {
            {0.5f, 9f, 9f}, {0.8f, 0.3f, 9f}, {0.6f, 0.25f, -0.5f}, {1.1f, -0.2f, 0.4f}, {0.7f, 0.2f, 0.1f}
        };
        double[][] alpha = new double[w.length][];
        for (int i = 0; i < w.length; i++) {
            layers.get(i).setWeights(weights[i], null);
            alpha[i] = new double[3];
            for (int k = 0; k < 3; k++) {
                alpha[i][k] = weights[i][k];
            }
        }
        float out = run(model, manager.create(new float[] {1.5f}))[0];
        assertEquals(expected(1.5, w, alpha, 3), out, 1e-5);
    }

    @Test
    void softmaxWeightsMixOnlyTheAvailableEntries() {
        float[] w = {2f, 3f, 0.5f, -1f};
        ScaleStack model = new ScaleStack(manager, w);
        List<InjectedMHC> layers = Mhc.builder().target("ScaleLayer").maxHistory(4).temperature(0.5)
                .constraint(Constraint.SIMPLEX).inject(model);
        float[] logits = {0.3f, -0.2f, 0.9f, 0.1f};
        double[][] alpha = new double[w.length][];
        for (int i = 0; i < w.length; i++) {
            layers.get(i).setWeights(logits, null);
            int n = i + 1;
            double sum = 0;
            alpha[i] = new double[n];
            for (int k = 0; k < n; k++) {
                alpha[i][k] = Math.exp(logits[k] / 0.5);
                sum += alpha[i][k];
            }
            for (int k = 0; k < n; k++) {
                alpha[i][k] /= sum;
            }
        }
        float out = run(model, manager.create(new float[] {-0.7f}))[0];
        assertEquals(expected(-0.7, w, alpha, 4), out, 1e-5);
    }

    @Test
    void initPreservesTheFunctionForEpsilonZeroNoneAndTheGate() {
        ToyEncoder model = ToyEncoder.of(6, manager);
        NDArray x = ToyEncoder.input(manager, 7);
        float[] plain = run(model, x);

        Mhc.builder().target("ToyLayer").maxHistory(4).epsilon(0).inject(model);
        assertTrue(maxAbsDiff(plain, run(model, x)) <= 1e-6f);
        Mhc.remove(model);

        Mhc.builder().target("ToyLayer").maxHistory(4).constraint(Constraint.NONE).inject(model);
        assertTrue(maxAbsDiff(plain, run(model, x)) <= 1e-6f);
        Mhc.remove(model);

        Mhc.builder().target("ToyLayer").maxHistory(4).gate(true).inject(model);
        assertTrue(maxAbsDiff(plain, run(model, x)) <= 1e-6f);
        Mhc.remove(model);

        Mhc.injectMhc(model, "ToyLayer", 4); // epsilon 0.1 does change the function
        assertTrue(maxAbsDiff(plain, run(model, x)) > 1e-3f);
    }

    @Test
    void removeRestoresTheExactFunctionAndTheBlocks() {
        ToyEncoder model = ToyEncoder.of(4, manager);
        NDArray x = ToyEncoder.input(manager, 3);
        float[] plain = run(model, x);
        List<String> keys = new ArrayList<>(ModuleTree.parameters(model).keySet());

        Mhc.injectMhc(model, "ToyLayer", 3);
        assertEquals("InjectedMHC", ModuleTree.get(model, "layer.2").getClass().getSimpleName());
        List<String> injectedKeys = new ArrayList<>(ModuleTree.parameters(model).keySet());
        assertTrue(injectedKeys.containsAll(keys), "base keys unchanged by injection");
        assertTrue(injectedKeys.contains("layer.2.mhc_alpha"));

        assertEquals(4, Mhc.remove(model));
        assertEquals("ToyLayer", ModuleTree.get(model, "layer.2").getClass().getSimpleName());
        assertEquals(keys, new ArrayList<>(ModuleTree.parameters(model).keySet()));
        assertArrayEquals(plain, run(model, x));
        assertEquals(0, Mhc.remove(model));
    }

    @Test
    void otherInputsAndOutputsPassThroughUntouched() {
        List<NDArray> seenMasks = new ArrayList<>();
        List<NDArray> returned = new ArrayList<>();
        ToyEncoder model =
                ToyEncoder.of(
                        3,
                        i ->
                                new ToyLayer(ToyEncoder.HIDDEN) {
                                    @Override
                                    protected NDList forwardModule(Forward f, NDList in) {
                                        seenMasks.add(in.get(1));
                                        NDList out = super.forwardModule(f, in);
                                        returned.add(out.get(1));
                                        return out;
                                    }
                                },
                        manager);
        Mhc.builder().target(ToyLayer.class).maxHistory(3).inject(model);
        NDList out = model.forward(ps, new NDList(ToyEncoder.input(manager, 5)), false);
        assertEquals(3, seenMasks.size());
        assertSame(seenMasks.get(0), seenMasks.get(1));
        assertSame(seenMasks.get(0), seenMasks.get(2));
        assertSame(returned.get(2), out.get(1));
    }

    @Test
    void everyCallStartsWithAnEmptyHistory() {
        float[] w = {2f, 3f, 0.5f};
        ScaleStack model = new ScaleStack(manager, w);
        Mhc.injectMhc(model, "ScaleLayer", 3);
        float first = run(model, manager.create(new float[] {1f}))[0];
        run(model, manager.create(new float[] {100f}));
        assertEquals(first, run(model, manager.create(new float[] {1f}))[0], 0f);
    }

    @Test
    void aFailedCallLeavesNoHistoryBehind() {
        boolean[] fail = {true};
        ToyEncoder model =
                ToyEncoder.of(
                        3,
                        i ->
                                new ToyLayer(ToyEncoder.HIDDEN) {
                                    @Override
                                    protected NDList forwardModule(Forward f, NDList in) {
                                        if (i == 2 && fail[0]) {
                                            throw new IllegalStateException("layer failed");
                                        }
                                        return super.forwardModule(f, in);
                                    }
                                },
                        manager);
        Mhc.builder().target(ToyLayer.class).maxHistory(3).inject(model);
        NDArray x = ToyEncoder.input(manager, 9);
        assertThrows(IllegalStateException.class, () -> run(model, x));

        // A stale history would let a lone layer run; none is left, so it is refused.
        InjectedMHC first = Mhc.layers(model).get(0);
        NDList layerInputs = new NDList(x, manager.ones(new ai.djl.ndarray.types.Shape(2, 5, 1)));
        IllegalStateException outside =
                assertThrows(IllegalStateException.class, () -> first.forward(ps, layerInputs, false));
        assertTrue(outside.getMessage().contains("ran outside a forward call"), outside.getMessage());

        fail[0] = false;
        ToyEncoder fresh = ToyEncoder.of(3, manager);
        Mhc.injectMhc(fresh, "ToyLayer", 3);
        assertArrayEquals(run(fresh, x), run(model, x));
    }

    /** layer.0..n-1 of scale layers, run in reverse tree order (or with one skipped). */
    static final class OutOfOrderStack extends dev.mhc.core.module.Module {
        private final dev.mhc.core.module.ModuleList layers;
        private final boolean skipSecond;

        OutOfOrderStack(NDManager manager, boolean skipSecond, float... weights) {
            this.skipSecond = skipSecond;
            layers = register("layer", new dev.mhc.core.module.ModuleList());
            for (float w : weights) {
                layers.add(new dev.mhc.core.testing.ScaleLayer(manager, w));
            }
        }

        @Override
        protected NDList forwardModule(Forward f, NDList inputs) {
            List<ai.djl.nn.Block> order = new ArrayList<>(layers.blocks());
            if (skipSecond) {
                order.remove(1);
            } else {
                java.util.Collections.reverse(order);
            }
            NDList x = inputs;
            for (ai.djl.nn.Block layer : order) {
                x = f.run(layer, x);
            }
            return x;
        }

        @Override
        public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputShapes) {
            return inputShapes;
        }
    }

    @Test
    void layersThatRunOutOfTreeOrderAreRefusedAtTheFirstCall() {
        for (boolean skip : new boolean[] {false, true}) {
            OutOfOrderStack model = new OutOfOrderStack(manager, skip, 2f, 3f, 0.5f, 4f);
            Mhc.injectMhc(model, "ScaleLayer", 4);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> run(model, manager.create(new float[] {1f})));
            String expected = skip
                    ? "mHC layer \"layer.2\" is wrapped layer 3 in tree order but ran as wrapped layer 2 of this forward call"
                    : "mHC layer \"layer.3\" is wrapped layer 4 in tree order but ran as wrapped layer 1 of this forward call";
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
            assertTrue(e.getMessage().endsWith("so target layers that run in order"), e.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class,
                    () -> run(model, manager.create(new float[] {1f})));
            assertEquals(e.getMessage(), again.getMessage(), "the failed call left no history behind");
            Mhc.remove(model);
            assertEquals(skip ? 2f * 0.5f * 4f : 12f, run(model, manager.create(new float[] {1f}))[0], 1e-6f);
        }
    }

    /**
     * Inference mixes with one contraction over a ring of the entries, training with the
     * differentiable sum: the two agree for every constraint, with and without the gate, also
     * once the ring has wrapped around (6 layers, H = 3).
     */
    @Test
    void inferenceContractionEqualsTheTrainingSum() {
        float[] w = {2f, 3f, 0.5f, -1f, 1.5f, 0.8f};
        for (Constraint constraint : Constraint.values()) {
            for (boolean gate : new boolean[] {false, true}) {
                ScaleStack model = new ScaleStack(manager, w);
                List<InjectedMHC> layers = Mhc.builder().target("ScaleLayer").maxHistory(3).constraint(constraint)
                        .gate(gate).inject(model);
                java.util.Random random = new java.util.Random(7);
                for (InjectedMHC layer : layers) {
                    float[] weights = new float[(int) layer.alpha().getArray().size()];
                    for (int k = 0; k < weights.length; k++) {
                        weights[k] = (float) random.nextGaussian();
                    }
                    layer.setWeights(weights, gate ? 0.6f : null);
                }
                NDArray x = manager.create(new float[] {0.7f, -1.3f, 2.1f});
                float[] inference = model.forward(ps, new NDList(x), false).head().toFloatArray();
                float[] training = model.forward(ps, new NDList(x), true).head().toFloatArray();
                assertTrue(maxAbsDiff(inference, training) <= 1e-5f * (1 + Math.abs(training[0])),
                        constraint + ", gate " + gate + ": " + java.util.Arrays.toString(inference) + " vs "
                                + java.util.Arrays.toString(training));
            }
        }
    }
}
