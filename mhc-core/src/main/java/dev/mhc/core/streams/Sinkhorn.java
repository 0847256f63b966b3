package dev.mhc.core.streams;

import ai.djl.ndarray.NDArray;

/**
 * Sinkhorn-Knopp projection of square logits onto the doubly stochastic matrices (the Birkhoff
 * polytope), in the log domain: rows and columns are normalised by log-sum-exp, never by dividing
 * exponentials, so logits of +-1e4, all equal or one huge give no overflow and no NaN. The last
 * step normalises columns: columns sum to 1 to rounding, rows to within the iteration's residual.
 */
public final class Sinkhorn {

    private Sinkhorn() {}

    /**
     * @param logits [..., n, n]
     * @param iterations row-then-column normalisations
     * @return exp of the normalised logits, differentiable
     */
    public static NDArray project(NDArray logits, int iterations) {
        NDArray m = logits;
        for (int t = 0; t < iterations; t++) {
            m = m.logSoftmax(-1).logSoftmax(-2);
        }
        return m.exp();
    }

    /** The same in plain Java for one n x n matrix, for analytics and reports. */
    public static double[][] project(double[][] logits, int iterations) {
        int n = logits.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = logits[i].clone();
        }
        for (int t = 0; t < iterations; t++) {
            for (int i = 0; i < n; i++) {
                double lse = logSumExp(m[i]);
                for (int j = 0; j < n; j++) {
                    m[i][j] -= lse;
                }
            }
            for (int j = 0; j < n; j++) {
                double[] column = new double[n];
                for (int i = 0; i < n; i++) {
                    column[i] = m[i][j];
                }
                double lse = logSumExp(column);
                for (int i = 0; i < n; i++) {
                    m[i][j] -= lse;
                }
            }
        }
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = Math.exp(row[j]);
            }
        }
        return m;
    }

    private static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
