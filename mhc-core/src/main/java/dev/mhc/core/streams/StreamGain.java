package dev.mhc.core.streams;

import java.util.List;

/**
 * How much the residual path can amplify a signal on its way through the streams: the composite
 * forward gain, the largest absolute row sum of the product of the residual matrices over depth
 * (the mHC paper's "Amax gain"). Doubly stochastic matrices keep it at 1, however deep the stack;
 * unconstrained hyper-connections let it grow with depth.
 */
public final class StreamGain {

    private StreamGain() {}

    /** @param matrices the residual matrices in the order the branches run */
    public static double composite(List<double[][]> matrices) {
        return matrices.isEmpty() ? 1 : gain(product(matrices));
    }

    /** @return the gain of a composite matrix: its largest absolute row sum */
    public static double gain(double[][] product) {
        double max = 0;
        for (double[] row : product) {
            double sum = 0;
            for (double v : row) {
                sum += Math.abs(v);
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    /** @return M_L ... M_2 M_1: what the residual path does to the streams over all the branches */
    public static double[][] product(List<double[][]> matrices) {
        double[][] product = null;
        for (double[][] m : matrices) {
            product = product == null ? copy(m) : multiply(m, product);
        }
        return product;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
