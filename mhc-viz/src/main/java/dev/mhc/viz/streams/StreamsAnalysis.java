package dev.mhc.viz.streams;

import dev.mhc.core.streams.StreamGain;
import java.util.ArrayList;
import java.util.List;

/**
 * What the residual matrices say, per branch in depth order: how much each stream keeps of itself
 * (the mean diagonal), the composite forward gain of the residual path so far (the mHC paper's
 * "Amax gain"), and how homogenised the streams are so far: 0 where the composite matrix keeps
 * them as distinct as the identity does (or spreads them further), 1 where every stream has become
 * the mean of all.
 */
public record StreamsAnalysis(List<Figures> branches) {

    /** The figures after one branch. */
    public record Figures(String layer, String branch, double diagonal, double gain, double homogenisation,
            double sinkhornResidual) {}

    public static StreamsAnalysis of(ResidualMatrices matrices) {
        List<Figures> figures = new ArrayList<>();
        double[][] product = null; // M_k ... M_1 so far
        for (ResidualMatrices.Branch b : matrices.branches()) {
            product = product == null ? b.matrix() : StreamGain.product(List.of(product, b.matrix()));
            figures.add(new Figures(b.layer(), b.branch(), meanDiagonal(b.matrix()), StreamGain.gain(product),
                    homogenisation(product), b.sinkhornResidual()));
        }
        return new StreamsAnalysis(figures);
    }

    public Figures last() {
        return branches.get(branches.size() - 1);
    }

    static double meanDiagonal(double[][] m) {
        double sum = 0;
        for (int i = 0; i < m.length; i++) {
            sum += m[i][i];
        }
        return sum / m.length;
    }

    /** 1 - ||P - J/n||_F / ||I - J/n||_F, clamped to [0, 1]. */
    static double homogenisation(double[][] p) {
        int n = p.length;
        double distance = 0;
        for (double[] row : p) {
            for (double v : row) {
                distance += (v - 1.0 / n) * (v - 1.0 / n);
            }
        }
        return Math.max(0, Math.min(1, 1 - Math.sqrt(distance) / Math.sqrt(n - 1)));
    }
}
