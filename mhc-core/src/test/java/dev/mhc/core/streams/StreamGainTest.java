package dev.mhc.core.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.PreNormStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Over a 12-layer stack with trained-looking connections, mHC's residual path cannot amplify a
 * signal (doubly stochastic matrices keep the composite gain at 1), while unconstrained
 * hyper-connections can; the figures are printed for the record.
 */
class StreamGainTest extends ManagedTest {

    private List<double[][]> trainedLooking(Variant variant, long seed) {
        PreNormStack stack = PreNormStack.initialised(12, manager);
        HyperConnections.builder().target(PreNormStack.Layer.class.getSimpleName()).streams(4).variant(variant)
                .inject(stack);
        Random random = new Random(seed);
        for (Map.Entry<String, Parameter> e : HyperConnections.parameters(stack).entrySet()) {
            float[] values = e.getValue().getArray().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) random.nextGaussian() * 0.5f;
            }
            e.getValue().getArray().set(values);
        }
        List<double[][]> matrices = new ArrayList<>();
        for (HyperConnectedLayer layer : HyperConnections.layers(stack)) {
            matrices.addAll(layer.residualMatrices().values());
        }
        assertEquals(24, matrices.size(), "two branches per layer");
        return matrices;
    }

    @Test
    void mhcKeepsTheCompositeGainBoundedWhereHcDoesNot() {
        for (long seed = 1; seed <= 5; seed++) {
            double mhc = StreamGain.composite(trainedLooking(Variant.MHC, seed));
            double hc = StreamGain.composite(trainedLooking(Variant.STATIC_HC, seed));
            System.out.printf(java.util.Locale.ROOT, "seed %d: composite gain over 24 branches: mHC %.4f, HC %.3g%n",
                    seed, mhc, hc);
            assertTrue(mhc <= 2, "mHC gain " + mhc);
            assertEquals(1, mhc, 1e-4, "doubly stochastic products keep row sums at 1");
            assertTrue(hc > 2, "unconstrained HC amplifies: " + hc);
        }
    }
}
