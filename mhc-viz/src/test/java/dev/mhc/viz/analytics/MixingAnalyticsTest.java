package dev.mhc.viz.analytics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mhc.core.inject.MhcConfig;
import dev.mhc.viz.LayerMixing;
import dev.mhc.viz.MixingSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every figure against values worked out by hand. */
class MixingAnalyticsTest {

    private static final double TOL = 1e-5;

    private static MixingSnapshot snapshot(String label, float[][] coefficients, float[][] initial) {
        List<LayerMixing> rows = new ArrayList<>();
        for (int i = 0; i < coefficients.length; i++) {
            rows.add(new LayerMixing("layer." + i, "BertLayer", i + 1, Math.min(i + 1, 3), new float[3], null,
                    coefficients[i], initial[i]));
        }
        return new MixingSnapshot(label, MhcConfig.of(3), rows);
    }

    private static final float[][] LEARNED = {{1, 0, 0}, {0.5f, 0.5f, 0}, {0.2f, 0.3f, 0.5f}};
    private static final float[][] INITIAL = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0.9f, 0.05f, 0.05f}};

    @Test
    void perLayerFigures() {
        Analysis analysis = MixingAnalytics.analyse(snapshot("s", LEARNED, INITIAL));
        LayerFigures first = analysis.layers().get(0);
        LayerFigures second = analysis.layers().get(1);
        LayerFigures third = analysis.layers().get(2);
        assertEquals(0, first.entropy(), TOL);
        assertEquals(Math.log(2), second.entropy(), TOL);
        assertEquals(-(0.2 * Math.log(0.2) + 0.3 * Math.log(0.3) + 0.5 * Math.log(0.5)), third.entropy(), TOL);
        assertEquals(0.5, second.depth(), TOL);
        assertEquals(1.3, third.depth(), TOL);
        assertEquals(0, second.longRange(), TOL);
        assertEquals(0.5, third.longRange(), TOL);
        assertEquals(0.8, second.driftL1(), TOL);
        assertEquals(0.7 + 0.25 + 0.45, third.driftL1(), TOL);
        assertEquals(0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1), second.driftKl(), TOL);
        assertEquals(0, first.driftKl(), TOL);
        assertEquals(0.5 / Math.sqrt(0.5), analysis.similarity()[0][1], TOL);
        assertEquals(1, analysis.similarity()[2][2], TOL);
    }

    @Test
    void patternsCountTheSingularValuesThatCarryNinetyPercent() {
        float[][] same = {{0.6f, 0.4f, 0}, {0.6f, 0.4f, 0}, {0.6f, 0.4f, 0}, {0.6f, 0.4f, 0}};
        Analysis one = MixingAnalytics.analyse(snapshot("same", same, same));
        assertEquals(2 * Math.sqrt(0.36 + 0.16), one.singularValues()[0], TOL);
        assertEquals(0, one.singularValues()[1], TOL);
        assertEquals(1, one.patterns());

        float[][] distinct = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        Analysis three = MixingAnalytics.analyse(snapshot("distinct", distinct, distinct));
        assertArrayEquals(new double[] {1, 1, 1}, three.singularValues(), TOL);
        assertEquals(3, three.patterns());
    }

    @Test
    void trajectoriesFollowEachLayer() {
        Trajectory trajectory = Trajectory.of(List.of(snapshot("epoch 0", INITIAL, INITIAL),
                snapshot("epoch 1", LEARNED, INITIAL)));
        assertEquals(List.of("epoch 0", "epoch 1"), trajectory.labels());
        assertArrayEquals(new double[] {0, 0, 0.5 - 0.05}, trajectory.longRangeMovement(), TOL);
        float[][] two = {{1, 0, 0}, {0.5f, 0.5f, 0}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trajectory.of(List.of(snapshot("a", LEARNED, INITIAL), snapshot("b", two, two))));
        assertEquals(true, e.getMessage().contains("compare checkpoints of one injection"));
    }
}
