package dev.mhc.core.logging;

import java.util.Map;

/**
 * Console defaults for programs that use the library with SLF4J's simple logger: DJL's and ND4J's
 * start-up lines (natives extracted to the cache, the platform found, thread counts, the ND4J
 * backend) and DJL's "Failed to detect GPU count" on machines without CUDA are hidden, so a
 * program prints nothing it did not print itself unless something is wrong. Only keys the program
 * has not set are filled in, and only before the simple logger is first used; other logging
 * back-ends keep their own configuration.
 */
public final class QuietLogging {

    private static final Map<String, String> DEFAULTS = Map.of(
            "org.slf4j.simpleLogger.log.ai.djl", "warn",
            "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error",
            "org.slf4j.simpleLogger.log.org.nd4j", "warn",
            "org.slf4j.simpleLogger.log.org.nd4j.linalg.factory.Nd4jBackend", "warn");

    private QuietLogging() {}

    /** Fills in the defaults; the library's entry points call it before DJL or ND4J start. */
    public static void apply() {
        DEFAULTS.forEach((key, level) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, level);
            }
        });
    }
}
