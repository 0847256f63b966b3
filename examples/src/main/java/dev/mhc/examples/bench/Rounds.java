package dev.mhc.examples.bench;

/**
 * Timing by interleaved rounds: each round times every side in turn, so that drift in the
 * machine's speed hits all sides alike; a side's figure is built from its per-round medians.
 * A first round warms every side up and is discarded.
 */
final class Rounds {

    /** One thing being timed. */
    @FunctionalInterface
    interface Side {
        /** @return the milliseconds of each of {@code runs} runs */
        double[] time(int runs) throws Exception;

        /** Timings produced some other way (a side wrapped in set-up and tear-down). */
        @FunctionalInterface
        interface Timed {
            double[] get() throws Exception;
        }
    }

    /**
     * The pause before each side's turn: thread pools spin for a while after their last task
     * (ONNX Runtime's by default, OpenMP's under PyTorch), and would otherwise take the cores
     * from the side that runs next.
     */
    private static final long QUIET_MILLIS = 300;

    private Rounds() {}

    /** @return per side, its median run time in each of {@code rounds} rounds */
    static double[][] interleave(int rounds, int runs, Side... sides) throws Exception {
        return interleave(rounds, runs, 1, sides);
    }

    /**
     * @param warmupRuns runs of each side in the discarded first round (small inputs need many:
     *     the first hundred or so 1 x 16 forwards run slower while the JIT and libtorch settle)
     * @return per side, its median run time in each of {@code rounds} rounds
     */
    static double[][] interleave(int rounds, int runs, int warmupRuns, Side... sides) throws Exception {
        double[][] medians = new double[sides.length][rounds];
        for (int r = -1; r < rounds; r++) {
            for (int s = 0; s < sides.length; s++) {
                Thread.sleep(QUIET_MILLIS);
                double median = Figure.median(sides[s].time(r < 0 ? warmupRuns : runs));
                if (r >= 0) {
                    medians[s][r] = median;
                }
            }
        }
        return medians;
    }

    /** Times {@code runs} runs of {@code body} in this JVM. */
    static double[] timed(int runs, Body body) throws Exception {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    /** A timed body that may throw. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }
}
