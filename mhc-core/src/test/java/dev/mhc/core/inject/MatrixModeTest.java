package dev.mhc.core.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.mhc.core.nn.Sinkhorn;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.ToyEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The card's matrix mode: row 0 of a doubly stochastic mix of the slots, starting as IDENTITY does. */
class MatrixModeTest extends ManagedTest {

    @TempDir Path dir;

    @Test
    void startsWithTheIdentityModesCoefficients() {
        List<InjectedMHC> matrix = Mhc.builder().target("ToyLayer").maxHistory(4).constraint(Constraint.MATRIX)
                .inject(ToyEncoder.of(5, manager));
        List<InjectedMHC> identity = Mhc.builder().target("ToyLayer").maxHistory(4).inject(ToyEncoder.of(5, manager));
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(identity.get(i).coefficients(), matrix.get(i).coefficients(), 1e-6f, "layer " + i);
            assertEquals(16, matrix.get(i).alpha().getArray().size(), "H x H weights");
        }
    }

    @Test
    void coefficientsAreRowZeroOfTheProjectedBlockAndSurviveASave() throws IOException {
        ToyEncoder model = ToyEncoder.of(5, manager);
        List<InjectedMHC> layers = Mhc.builder().target("ToyLayer").maxHistory(3).constraint(Constraint.MATRIX)
                .inject(model);
        Random random = new Random(8);
        for (InjectedMHC layer : layers) {
            float[] w = new float[9];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) random.nextGaussian() * 2;
            }
            layer.setWeights(w, null);
        }
        InjectedMHC last = layers.get(4);
        float[] w = last.alpha().getArray().toFloatArray();
        double[][] block = new double[3][3];
        for (int k = 0; k < 9; k++) {
            block[k / 3][k % 3] = w[k];
        }
        double[] row = Sinkhorn.project(block, 20)[0];
        NDArray engine = Mixing.coefficients(last.alpha().getArray(), 3, last.config());
        for (int k = 0; k < 3; k++) {
            assertEquals(row[k], engine.getFloat(k), 1e-6);
            assertEquals(row[k], last.coefficients()[k], 1e-6);
        }

        NDArray x = ToyEncoder.input(manager, 3);
        float[] before = model.forward(ps, new NDList(x), false).head().toFloatArray();
        Mhc.save(model, dir);
        ToyEncoder fresh = ToyEncoder.of(5, manager);
        Mhc.load(fresh, dir);
        assertEquals(Constraint.MATRIX, Mhc.layers(fresh).get(0).config().constraint());
        assertArrayEquals(before, fresh.forward(ps, new NDList(x), false).head().toFloatArray());
    }
}
