package dev.mhc.hf.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * What a parser may do with any input: return, or throw one of the exception types it documents.
 * Anything else (another exception, an {@link Error}, an input taking over a second of CPU) escapes to
 * Jazzer as a finding.
 */
final class Expected {

    interface Target {
        void run() throws Exception;
    }

    private Expected() {}

    /** The first inputs of a JVM load classes and start engines: they are not timed. */
    private static final int WARM_UP_INPUTS = 5;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static int seen;

    static void only(List<Class<? extends Exception>> documented, Target target) throws Exception {
        boolean timed = ++seen > WARM_UP_INPUTS;
        // CPU time of this thread, not wall time: a busy machine must not make a parser look hung
        long start = THREADS.getCurrentThreadCpuTime();
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
            long millis = (THREADS.getCurrentThreadCpuTime() - start) / 1_000_000;
            if (timed && millis > FuzzBudget.MAX_MILLIS_PER_INPUT) {
                throw new AssertionError("one input took " + millis + " ms (limit " + FuzzBudget.MAX_MILLIS_PER_INPUT
                        + " ms): a parser must not hang");
            }
        }
    }
}
