package dev.mhc.viz.analytics;

import dev.mhc.core.logging.QuietLogging;
import dev.mhc.viz.LayerMixing;
import dev.mhc.viz.MixingSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Figures of learned mixing, computed with ND4J over the layers x offsets matrix of shares.
 *
 * <p>A layer's coefficients c_k (offsets k = 0..H-1, zero past what it can reach) become shares
 * p_k = |c_k| / sum_j |c_j| (equal to c for the softmax constraints; NONE's free weights can be
 * negative). With q the initial shares:
 *
 * <ul>
 *   <li>entropy = -sum_k p_k ln p_k (nats; 0 ln 0 = 0): how spread the mix is;
 *   <li>depth = sum_k k p_k: the expected offset, how far back the layer reaches;
 *   <li>long-range reliance = sum_{k>=2} p_k: the mass on skips past the previous layer;
 *   <li>drift L1 = sum_k |c_k - c0_k|; drift KL = sum_k p_k ln(p_k / q_k), with q_k floored at
 *       1e-12 so an offset that started at zero share counts as a large move rather than infinity;
 *   <li>similarity_ij = cos(c_i, c_j);
 *   <li>patterns: the singular values s of the share matrix, and the fewest m with
 *       s_1^2 + ... + s_m^2 >= 0.9 sum s^2.
 * </ul>
 */
public final class MixingAnalytics {

    static final double FLOOR = 1e-12;
    static final double ENERGY = 0.9;

    static {
        QuietLogging.apply(); // before ND4J starts and logs its backend
    }

    private MixingAnalytics() {}

    public static Analysis analyse(MixingSnapshot snapshot) {
        List<LayerMixing> rows = snapshot.layers();
        INDArray c = matrix(rows, false);
        INDArray c0 = matrix(rows, true);
        INDArray p = shares(c);
        INDArray q = Transforms.max(shares(c0), FLOOR);

        INDArray safeP = Transforms.max(p, FLOOR);
        INDArray entropy = p.mul(Transforms.log(safeP)).sum(1).neg();
        INDArray offsets = Nd4j.arange(0, snapshot.maxHistory()).castTo(DataType.DOUBLE).reshape(1, -1);
        INDArray depth = p.mulRowVector(offsets).sum(1);
        INDArray longRange = longRange(p, snapshot.maxHistory());
        INDArray initialLongRange = longRange(shares(c0), snapshot.maxHistory());
        INDArray reach = longRange(Transforms.abs(c).add(Transforms.abs(c0)), snapshot.maxHistory());
        INDArray driftL1 = Transforms.abs(c.sub(c0)).sum(1);
        INDArray driftKl = p.mul(Transforms.log(safeP.div(q))).sum(1);

        List<LayerFigures> figures = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            figures.add(new LayerFigures(rows.get(i).path(), entropy.getDouble(i), depth.getDouble(i),
                    longRange.getDouble(i), driftL1.getDouble(i), driftKl.getDouble(i), initialLongRange.getDouble(i),
                    reach.getDouble(i) > 0));
        }
        double[] singular = singularValues(p);
        return new Analysis(figures, similarity(c), singular, patterns(singular));
    }

    /** Per row, the sum over offsets 2 and beyond. */
    private static INDArray longRange(INDArray perOffset, int maxHistory) {
        return perOffset.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(Math.min(2, maxHistory), maxHistory)).sum(1);
    }

    static INDArray matrix(List<LayerMixing> rows, boolean initial) {
        double[][] data = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            float[] v = initial ? rows.get(i).initial() : rows.get(i).coefficients();
            data[i] = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                data[i][k] = v[k];
            }
        }
        return Nd4j.create(data);
    }

    static INDArray shares(INDArray coefficients) {
        INDArray magnitude = Transforms.abs(coefficients);
        INDArray totals = Transforms.max(magnitude.sum(true, 1), FLOOR);
        return magnitude.divColumnVector(totals);
    }

    static double[][] similarity(INDArray c) {
        INDArray norms = Transforms.max(c.norm2(true, 1), FLOOR);
        INDArray unit = c.divColumnVector(norms);
        return unit.mmul(unit.transpose()).toDoubleMatrix();
    }

    static double[] singularValues(INDArray p) {
        INDArray a = p.dup('f');
        long n = Math.min(a.rows(), a.columns());
        INDArray s = Nd4j.create(DataType.DOUBLE, n);
        Nd4j.getBlasWrapper().lapack().gesvd(a, s, null, null);
        return s.toDoubleVector();
    }

    static int patterns(double[] singular) {
        double total = 0;
        for (double s : singular) {
            total += s * s;
        }
        double acc = 0;
        for (int m = 0; m < singular.length; m++) {
            acc += singular[m] * singular[m];
            if (acc >= ENERGY * total) {
                return m + 1;
            }
        }
        return singular.length;
    }
}
