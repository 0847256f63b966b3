package dev.mhc.core.inject;

/** The starting point of {@link Constraint#SIMPLEX} weights. */
public enum SimplexInit {
    /** Every available entry gets the same share. */
    UNIFORM,
    /** The current input gets 1 - epsilon, the history shares epsilon (as IDENTITY). */
    IDENTITY
}
