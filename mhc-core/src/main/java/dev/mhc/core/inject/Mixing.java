package dev.mhc.core.inject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.mhc.core.nn.Scalars;
import dev.mhc.core.nn.Sinkhorn;

/**
 * The mixing rule. Layer L_i (the i-th wrapped layer of a forward call) receives
 *
 * <pre>  x~_i = sum_{k=0..a_i} alpha_{i,k} x_{i-k},   a_i = min(i-1, H-1)</pre>
 *
 * where x_j is the raw (unmixed) input of L_j, newest first. Each layer owns H weights w; with
 * n = a_i + 1 entries available, the coefficients are
 *
 * <ul>
 *   <li>IDENTITY: alpha = softmax(w[0..n)), init w_0 = ln(1-eps), w_k = ln(eps/a_i): exactly
 *       1-eps on the current input and eps/a_i on each earlier one;
 *   <li>SIMPLEX: alpha = softmax(w[0..n) / T), init uniform (w = 0) or T times the IDENTITY init;
 *   <li>NONE: alpha = w[0..n), init e_0 = (1, 0, ..., 0);
 *   <li>MATRIX (the card's matrix mode): W is H x H; alpha = row 0 of SinkhornKnopp(W[0..n, 0..n)),
 *       a doubly stochastic mix of the n slots (20 iterations and an exact balancing step, see
 *       {@link Sinkhorn}); init W = d I with d = ln((1-eps)(n-1)/eps), which gives exactly the
 *       IDENTITY init's coefficients.
 * </ul>
 *
 * Weights past n are kept (so every layer has exactly H) but unused. With eps = 0 the history
 * logits are {@value #LOGIT_FLOOR} instead of -infinity, a weight of about 4e-18 each: the output
 * equals the base model's to float precision, though such logits learn very slowly.
 */
public final class Mixing {

    /** The logit standing for a zero share, finite so that softmax stays differentiable. */
    public static final float LOGIT_FLOOR = -40f;

    private Mixing() {}

    /** @return entries a layer at 1-based position {@code position} mixes: min(position, H) */
    public static int available(int position, int maxHistory) {
        return Math.min(position, maxHistory);
    }

    /**
     * @return how many of a layer's H weights can ever receive a gradient when it mixes {@code
     *     available} entries: those past {@code available} are never read, and a softmax over a
     *     single entry is the constant 1 (so the first layer's weights all stay as initialised)
     */
    public static int usedWeights(MhcConfig config, int available) {
        if (available == 1 && singleEntryIsIdentity(config)) {
            return 0;
        }
        return config.constraint() == Constraint.MATRIX ? available * available : available;
    }

    /**
     * @return the parameters of a layer that mixes {@code available} entries that can never receive
     *     a gradient: its unused weights, and its gate when it uses no weight (it then does not mix)
     */
    public static int unusedInLayer(MhcConfig config, int available) {
        int used = usedWeights(config, available);
        return config.weightsPerLayer() - used + (config.gate() && used == 0 ? 1 : 0);
    }

    /** @return the parameters, over {@code layers} wrapped layers in order, that never receive a gradient */
    public static long unusedInStack(MhcConfig config, int layers) {
        long unused = 0;
        for (int position = 1; position <= layers; position++) {
            unused += unusedInLayer(config, available(position, config.maxHistory()));
        }
        return unused;
    }

    /** @return the initial weights (H, or H x H row-major) of a layer that mixes {@code available} entries */
    public static float[] initialWeights(MhcConfig config, int available) {
        float[] w = new float[config.weightsPerLayer()];
        switch (config.constraint()) {
            case IDENTITY -> identityLogits(w, config.epsilon(), available, 1.0);
            case SIMPLEX -> {
                if (config.simplexInit() == SimplexInit.IDENTITY) {
                    identityLogits(w, config.epsilon(), available, config.temperature());
                }
            }
            case NONE -> w[0] = 1f;
            case MATRIX -> {
                if (available > 1) {
                    double diagonal = config.epsilon() > 0
                            ? Math.log((1 - config.epsilon()) * (available - 1) / config.epsilon())
                            : -LOGIT_FLOOR;
                    for (int k = 0; k < available; k++) {
                        w[k * config.maxHistory() + k] = (float) diagonal;
                    }
                }
            }
        }
        return w;
    }

    /** Sinkhorn-Knopp iterations of the MATRIX mode. */
    static final int MATRIX_ITERATIONS = 20;

    private static void identityLogits(float[] w, double epsilon, int available, double scale) {
        int history = available - 1;
        if (history == 0) {
            return; // a single entry: softmax gives it 1 whatever its logit
        }
        w[0] = (float) (scale * Math.log(1 - epsilon));
        double share = epsilon / history;
        float historyLogit = share > 0 ? (float) Math.log(share) : LOGIT_FLOOR;
        for (int k = 1; k <= history; k++) {
            w[k] = (float) (scale * Math.max(historyLogit, LOGIT_FLOOR));
        }
    }

    /**
     * @param weights a layer's H weights (any manager; results join its manager)
     * @param available the number of entries n this call mixes, 1..H
     * @return the n coefficients, differentiable with respect to {@code weights}
     */
    public static NDArray coefficients(NDArray weights, int available, MhcConfig config) {
        if (config.constraint() == Constraint.MATRIX) {
            NDArray block = weights.reshape(config.maxHistory(), config.maxHistory())
                    .get(new NDIndex("0:{}, 0:{}", available, available));
            return Sinkhorn.project(block, MATRIX_ITERATIONS).get(0);
        }
        NDArray w = weights.get(new NDIndex("0:{}", available));
        return switch (config.constraint()) {
            case IDENTITY -> w.softmax(0);
            case SIMPLEX -> Scalars.div(w, config.temperature()).softmax(0);
            case NONE -> w;
            case MATRIX -> throw new AssertionError("handled above");
        };
    }

    /**
     * The same coefficients in plain Java, for inspection and reports (no engine, no graph).
     *
     * @return the {@code available} coefficients
     */
    public static float[] coefficients(float[] weights, int available, MhcConfig config) {
        if (config.constraint() == Constraint.MATRIX) {
            int h = config.maxHistory();
            double[][] block = new double[available][available];
            for (int i = 0; i < available; i++) {
                for (int j = 0; j < available; j++) {
                    block[i][j] = weights[i * h + j];
                }
            }
            double[] row = Sinkhorn.project(block, MATRIX_ITERATIONS)[0];
            float[] out = new float[available];
            for (int k = 0; k < available; k++) {
                out[k] = (float) row[k];
            }
            return out;
        }
        double[] w = new double[available];
        for (int k = 0; k < available; k++) {
            w[k] = weights[k] / (config.constraint() == Constraint.SIMPLEX ? config.temperature() : 1.0);
        }
        float[] out = new float[available];
        if (config.constraint() == Constraint.NONE) {
            for (int k = 0; k < available; k++) {
                out[k] = weights[k];
            }
            return out;
        }
        double max = java.util.Arrays.stream(w).max().orElse(0);
        double sum = 0;
        for (int k = 0; k < available; k++) {
            w[k] = Math.exp(w[k] - max);
            sum += w[k];
        }
        for (int k = 0; k < available; k++) {
            out[k] = (float) (w[k] / sum);
        }
        return out;
    }

    /**
     * What a layer is actually fed, as coefficients over the entries: with a gate g the layer gets
     * x + tanh(g) (mix - x), that is t c + (1 - t) e_0 with t = tanh(g); without one, c.
     *
     * @param gate the gate's value, or {@code null} without a gate
     * @return the {@code available} effective coefficients
     */
    public static float[] effectiveCoefficients(float[] weights, Float gate, int available, MhcConfig config) {
        float[] c = coefficients(weights, available, config);
        if (gate == null) {
            return c;
        }
        float t = (float) Math.tanh(gate);
        for (int k = 0; k < c.length; k++) {
            c[k] = t * c[k] + (k == 0 ? 1 - t : 0);
        }
        return c;
    }

    /** @return whether one entry alone is mixed with weight exactly 1 (softmax constraints) */
    static boolean singleEntryIsIdentity(MhcConfig config) {
        return config.constraint() != Constraint.NONE;
    }
}
