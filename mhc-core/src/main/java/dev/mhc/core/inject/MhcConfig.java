package dev.mhc.core.inject;

import java.util.Objects;

/**
 * The settings of one mHC injection.
 *
 * @param maxHistory H: entries each layer mixes (its current input and up to H-1 earlier ones)
 * @param constraint how weights become coefficients
 * @param epsilon the history's share at initialisation for IDENTITY (and SIMPLEX with identity
 *     init), in [0, 1)
 * @param temperature the SIMPLEX softmax temperature, > 0
 * @param simplexInit the SIMPLEX starting point
 * @param detachHistory whether history entries (offsets >= 1) are cut from the autograd graph
 * @param gate whether each layer has a learnable gate g: it feeds x + tanh(g) (mix - x), g = 0
 *     at init, so a gated injection starts as an exact identity whatever the constraint
 */
public record MhcConfig(
        int maxHistory,
        Constraint constraint,
        double epsilon,
        double temperature,
        SimplexInit simplexInit,
        boolean detachHistory,
        boolean gate) {

    public static final double DEFAULT_EPSILON = 0.1;

    /** H when none is given: the layer's own input and three earlier ones. */
    public static final int DEFAULT_HISTORY = 4;

    /** The smallest H: the layer's own input and one earlier one. */
    public static final int MIN_HISTORY = 2;

    public MhcConfig {
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(simplexInit, "simplexInit");
        if (maxHistory < MIN_HISTORY) {
            throw new IllegalArgumentException(
                    "maxHistory must be at least 2 (got "
                            + maxHistory
                            + "): a layer mixes its input with up to maxHistory-1 earlier hidden"
                            + " states, so 1 or less leaves nothing to mix");
        }
        if (constraint == Constraint.MATRIX && maxHistory > 46_340) {
            throw new IllegalArgumentException("maxHistory " + maxHistory + " with the matrix constraint needs H x H"
                    + " weights per layer, more than an array holds; lower it");
        }
        if (!Double.isFinite(epsilon) || epsilon < 0 || epsilon >= 1) {
            throw new IllegalArgumentException(
                    "epsilon must be in [0, 1) (got "
                            + epsilon
                            + "): it is the history's share at initialisation, 0.1 by default");
        }
        if (!Double.isFinite(temperature) || temperature <= 0) {
            throw new IllegalArgumentException(
                    "temperature must be a finite number > 0 (got " + temperature + ")");
        }
    }

    /** H = maxHistory with the defaults: IDENTITY, epsilon 0.1, no detach, no gate. */
    public static MhcConfig of(int maxHistory) {
        return new MhcConfig(
                maxHistory,
                Constraint.IDENTITY,
                DEFAULT_EPSILON,
                1.0,
                SimplexInit.UNIFORM,
                false,
                false);
    }

    /** @return a layer's mixing weights: H, or H x H for the {@link Constraint#MATRIX} mode */
    public int weightsPerLayer() {
        return constraint == Constraint.MATRIX ? Math.multiplyExact(maxHistory, maxHistory) : maxHistory;
    }

    /** @return learnable scalars per wrapped layer: its weights, plus one with the gate */
    public int parametersPerLayer() {
        return weightsPerLayer() + (gate ? 1 : 0);
    }
}
