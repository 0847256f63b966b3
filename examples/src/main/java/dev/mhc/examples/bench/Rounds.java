package dev.mhc.examples.bench;

/**
 * Timing by interleaved rounds: each round times every side in turn, so that drift in the
 * machine's speed hits all sides alike; a side's figure is built from its per-round medians.
 * One round first warms every side up and is discarded.
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

    private Rounds() {}

    /** @return per side, its median run time in each of {@code rounds} rounds */
    static double[][] interleave(int rounds, int runs, Side... sides) throws Exception {
        double[][] medians = new double[sides.length][rounds];
        for (int r = -1; r < rounds; r++) {
            for (int s = 0; s < sides.length; s++) {
                double median = Figure.median(sides[s].time(r < 0 ? 1 : runs));
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
