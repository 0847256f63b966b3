package dev.mhc.core.streams;

import java.util.Objects;

/**
 * The settings of one multi-stream injection.
 *
 * @param streams n, the expansion rate: the hidden state is carried as n parallel streams
 * @param variant static or dynamic hyper-connections, or mHC
 * @param sinkhornIterations t_max, the Sinkhorn-Knopp iterations that make mHC's residual matrix
 *     doubly stochastic (20 in the paper)
 */
public record StreamsConfig(int streams, Variant variant, int sinkhornIterations) {

    public static final int DEFAULT_SINKHORN_ITERATIONS = 20;

    /** n when none is given. */
    public static final int DEFAULT_STREAMS = 4;

    public StreamsConfig {
        Objects.requireNonNull(variant, "variant");
        if (streams < 2 || streams > 64) {
            throw new IllegalArgumentException("streams must be in [2, 64] (got " + streams
                    + "): the hidden state is widened into that many parallel streams; 4 is the papers' choice");
        }
        if (sinkhornIterations < 1 || sinkhornIterations > 1000) {
            throw new IllegalArgumentException("sinkhorn iterations must be in [1, 1000], got " + sinkhornIterations);
        }
    }

    /** n streams of {@code variant}, 20 Sinkhorn iterations. */
    public static StreamsConfig of(int streams, Variant variant) {
        return new StreamsConfig(streams, variant, DEFAULT_SINKHORN_ITERATIONS);
    }
}
