package dev.mhc.core.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.ToyEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coefficients at initialisation, against the formulas of the issue worked out by hand. */
class MixingInitTest extends ManagedTest {

    private static final float TOL = 1e-6f;

    private List<InjectedMHC> inject(Mhc.Builder builder, int layers) {
        return builder.target("ToyLayer").inject(ToyEncoder.of(layers, manager));
    }

    @Test
    void identityGivesOneMinusEpsilonToTheInputAndSharesEpsilon() {
        List<InjectedMHC> layers = inject(Mhc.builder().maxHistory(4), 6);
        assertArrayEquals(new float[] {1f}, layers.get(0).coefficients(), TOL);
        assertArrayEquals(new float[] {0.9f, 0.1f}, layers.get(1).coefficients(), TOL);
        assertArrayEquals(new float[] {0.9f, 0.05f, 0.05f}, layers.get(2).coefficients(), TOL);
        float third = 0.1f / 3;
        for (int i = 3; i < 6; i++) {
            assertArrayEquals(new float[] {0.9f, third, third, third}, layers.get(i).coefficients(), TOL);
        }
        // The logits themselves: ln(1 - eps) and ln(eps / a); unused offsets are 0.
        assertArrayEquals(
                new float[] {(float) Math.log(0.9), (float) Math.log(0.05), (float) Math.log(0.05), 0f},
                layers.get(2).alpha().getArray().toFloatArray(),
                TOL);
    }

    @Test
    void identityWithOtherEpsilon() {
        List<InjectedMHC> layers = inject(Mhc.builder().maxHistory(3).epsilon(0.3), 3);
        assertArrayEquals(new float[] {0.7f, 0.3f}, layers.get(1).coefficients(), TOL);
        assertArrayEquals(new float[] {0.7f, 0.15f, 0.15f}, layers.get(2).coefficients(), TOL);
    }

    @Test
    void identityWithEpsilonZeroIsOneOnTheInput() {
        List<InjectedMHC> layers = inject(Mhc.builder().maxHistory(4).epsilon(0), 4);
        float[] last = layers.get(3).coefficients();
        assertEquals(1f, last[0], 0f);
        for (int k = 1; k < 4; k++) {
            assertEquals(0f, last[k], 1e-17f);
        }
    }

    @Test
    void simplexUniformAndIdentityInit() {
        List<InjectedMHC> uniform =
                inject(Mhc.builder().maxHistory(4).constraint(Constraint.SIMPLEX).temperature(0.5), 5);
        assertArrayEquals(new float[] {1f}, uniform.get(0).coefficients(), TOL);
        assertArrayEquals(new float[] {0.5f, 0.5f}, uniform.get(1).coefficients(), TOL);
        assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3}, uniform.get(2).coefficients(), TOL);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, uniform.get(4).coefficients(), TOL);

        List<InjectedMHC> identity =
                inject(
                        Mhc.builder()
                                .maxHistory(4)
                                .constraint(Constraint.SIMPLEX)
                                .simplexInit(SimplexInit.IDENTITY)
                                .temperature(2.0)
                                .epsilon(0.2),
                        3);
        assertArrayEquals(new float[] {0.8f, 0.1f, 0.1f}, identity.get(2).coefficients(), TOL);
        // Logits are T * ln(share) so that softmax(w / T) has the shares.
        assertEquals(2.0 * Math.log(0.8), identity.get(2).alpha().getArray().getFloat(0), 1e-5);
    }

    @Test
    void noneStartsAtE0() {
        List<InjectedMHC> layers = inject(Mhc.builder().maxHistory(4).constraint(Constraint.NONE), 5);
        for (InjectedMHC layer : layers) {
            assertArrayEquals(new float[] {1f, 0f, 0f, 0f}, layer.alpha().getArray().toFloatArray(), 0f);
        }
        assertArrayEquals(new float[] {1f, 0f, 0f}, layers.get(2).coefficients(), 0f);
    }

    @Test
    void exactlyHParametersPerLayerPlusOneWithTheGate() {
        // BERT-base has 12 layers: H = 4 adds exactly 48 scalars.
        var model = ToyEncoder.of(12, manager);
        Mhc.injectMhc(model, "ToyLayer", 4);
        assertEquals(48, Mhc.parameters(model).values().stream().mapToLong(p -> p.getArray().size()).sum());
        assertEquals(12, Mhc.remove(model));

        Mhc.builder().target("ToyLayer").maxHistory(4).gate(true).inject(model);
        assertEquals(60, Mhc.parameters(model).values().stream().mapToLong(p -> p.getArray().size()).sum());
        assertEquals("layer.0.mhc_alpha", Mhc.parameters(model).keySet().iterator().next());
    }

    @Test
    void plainJavaCoefficientsEqualTheDifferentiableOnes() {
        float[] pattern = {0.4f, -1.2f, 2.0f, 0.1f, 1.5f};
        for (Constraint constraint : Constraint.values()) {
            MhcConfig config = new MhcConfig(4, constraint, 0.1, 0.7, SimplexInit.UNIFORM, false, false);
            float[] w = new float[config.weightsPerLayer()];
            for (int k = 0; k < w.length; k++) {
                w[k] = pattern[k % pattern.length];
            }
            for (int n = 1; n <= 4; n++) {
                float[] fromArrays = Mixing.coefficients(manager.create(w), n, config).toFloatArray();
                assertArrayEquals(fromArrays, Mixing.coefficients(w, n, config), 1e-6f, constraint + " n=" + n);
            }
        }
    }
}
