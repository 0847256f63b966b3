package dev.mhc.cli.config;

/** Range checks on run-config values; each message names the key by its path. */
final class RunChecks {

    private RunChecks() {}

    static int atLeast(String key, Integer value, int fallback, int min) {
        int v = value == null ? fallback : value;
        if (v < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + v);
        }
        return v;
    }

    static double positive(String key, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(key + " must be a number > 0, got " + v);
        }
        return v;
    }

    static double inRange(String key, Double value, double fallback, double min, double maxExclusive) {
        double v = value == null ? fallback : value;
        if (!(v >= min && v < maxExclusive)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + maxExclusive + "), got " + v);
        }
        return v;
    }

    static String oneOf(String key, String value, String fallback, String... allowed) {
        String v = value == null ? fallback : value;
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed) + ", got \"" + v + "\"");
    }
}
