package dev.mhc.hf.fuzz;

import java.util.List;

/**
 * What a parser may do with any input: return, or throw one of the exception types it documents.
 * Anything else (another exception, an {@link Error}, an input taking over a second) escapes to
 * Jazzer as a finding.
 */
final class Expected {

    interface Target {
        void run() throws Exception;
    }

    private Expected() {}

    static void only(List<Class<? extends Exception>> documented, Target target) throws Exception {
        long start = System.nanoTime();
        try {
            target.run();
        } catch (Exception e) {
            if (documented.stream().noneMatch(type -> type.isInstance(e))) {
                throw e;
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a documented exception without a message", e);
            }
        } finally {
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis > FuzzBudget.MAX_MILLIS_PER_INPUT) {
                throw new AssertionError("one input took " + millis + " ms (limit " + FuzzBudget.MAX_MILLIS_PER_INPUT
                        + " ms): a parser must not hang");
            }
        }
    }
}
