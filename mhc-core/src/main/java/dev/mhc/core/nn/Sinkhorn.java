package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Sinkhorn-Knopp projection of square logits onto the doubly stochastic matrices (the Birkhoff
 * polytope), in the log domain: rows and columns are normalised by log-sum-exp, never by dividing
 * exponentials, so logits of +-1e4, all equal or one huge give no overflow and no NaN.
 *
 * <p>Plain iterations converge slowly where the logits are spread: after 20, rows are still off by
 * 3e-5 for standard-normal logits (worst of 200 4 x 4 draws), 1.7e-2 at a standard deviation of 2,
 * and 3.6e-2 when one logit is 1e4 above the rest. So the iterations end with one exact balancing
 * step: the columns sum to 1 after the last normalisation; each row's shortfall is spread evenly
 * over the row (the columns keep their sums, since the shortfalls add up to 0); and should that
 * make an entry negative, the matrix is mixed with the uniform one just enough to lift it to 0.
 * The result is doubly stochastic and non-negative to rounding; on converged logits the step
 * changes nothing measurable.
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
        NDArray p = m.exp();
        Shape shape = p.getShape();
        double uniform = 1.0 / shape.get(shape.dimension() - 1);
        NDArray balanced = p.add(Scalars.mul(p.sum(new int[] {-1}, true).neg().add(1), uniform));
        NDArray deficit = Scalars.maximum(balanced.min(new int[] {-1}, true).min(new int[] {-2}, true).neg(), 0);
        NDArray share = deficit.div(deficit.add(uniform));
        return Scalars.maximum(balanced.sub(balanced.mul(share)).add(Scalars.mul(share, uniform)), 0); // rounding below 0
    }

    /** The same in plain Java for one n x n matrix, for analytics and reports. */
    public static double[][] project(double[][] logits, int iterations) {
        int n = logits.length;
        double[][] m = iterate(logits, iterations);
        double minimum = Double.POSITIVE_INFINITY;
        for (double[] row : m) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += row[j];
            }
            for (int j = 0; j < n; j++) {
                row[j] += (1 - sum) / n;
                minimum = Math.min(minimum, row[j]);
            }
        }
        double deficit = Math.max(-minimum, 0);
        double share = deficit / (deficit + 1.0 / n);
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = Math.max(row[j] * (1 - share) + share / n, 0);
            }
        }
        return m;
    }

    /**
     * @return how far {@code iterations} plain Sinkhorn-Knopp iterations leave the logits from
     *     doubly stochastic (the largest row-sum error; columns are exact after the last step):
     *     the gap the final balancing step closes
     */
    public static double residual(double[][] logits, int iterations) {
        double worst = 0;
        for (double[] row : iterate(logits, iterations)) {
            double sum = 0;
            for (double v : row) {
                sum += v;
            }
            worst = Math.max(worst, Math.abs(sum - 1));
        }
        return worst;
    }

    /** Plain log-domain iterations, rows then columns; @return the exponentiated result */
    private static double[][] iterate(double[][] logits, int iterations) {
        int n = logits.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = logits[i].clone();
        }
        double[] column = new double[n];
        for (int t = 0; t < iterations; t++) {
            for (double[] row : m) {
                double lse = logSumExp(row);
                for (int j = 0; j < n; j++) {
                    row[j] -= lse;
                }
            }
            for (int j = 0; j < n; j++) {
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
