package dev.mhc.hf;

import dev.mhc.hf.patches.PatchOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The options a patch reads: typed, defaulted, and limited to what it declared. */
class PatchRegistryOptionsTest {

    private static PatchOptions options(Map<String, ?> given) {
        return PatchOptions.of(
                "\"mhc\" for model type \"bert\"", Set.of("n", "eps", "gate", "mode"), given);
    }

    @Test
    void typedReadsWithDefaults() {
        PatchOptions options = options(Map.of("n", 4L, "eps", 1, "gate", true, "mode", "simplex"));
        assertEquals(4, options.getInt("n", 0));
        assertEquals(1.0, options.getDouble("eps", 0.5));
        assertEquals(true, options.getBoolean("gate", false));
        assertEquals("simplex", options.getString("mode", "identity"));

        PatchOptions empty = options(Map.of());
        assertEquals(2, empty.getInt("n", 2));
        assertEquals(0.5, empty.getDouble("eps", 0.5));
        assertEquals("identity", empty.getString("mode", "identity"));
        assertEquals(3, options(Map.of("n", BigInteger.valueOf(3))).getInt("n", 0));
    }

    @Test
    void nullReadsAsAbsent() {
        Map<String, Object> given = new HashMap<>();
        given.put("n", null);
        PatchOptions options = options(given);
        assertFalse(options.has("n"));
        assertEquals(7, options.getInt("n", 7));
    }

    @Test
    void aWrongTypeNamesTheOptionThePatchAndTheValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> options(Map.of("n", "four")).getInt("n", 2));
        assertEquals(
                "option \"n\" of patch \"mhc\" for model type \"bert\" must be an int, got \"four\""
                        + " (String)",
                e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> options(Map.of("n", 2.5)).getInt("n", 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> options(Map.of("n", Long.MAX_VALUE)).getInt("n", 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> options(Map.of("gate", "yes")).getBoolean("gate", true));
        assertThrows(
                IllegalArgumentException.class,
                () -> options(Map.of("eps", "x")).getDouble("eps", 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> options(Map.of("mode", 1)).getString("mode", ""));
    }

    @Test
    void readingAnUndeclaredOptionIsABugInThePatch() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> options(Map.of("other", 1)).getInt("other", 0));
        assertEquals(
                "patch \"mhc\" for model type \"bert\" reads option \"other\" but declares only"
                    + " [eps, gate, mode, n]; add \"other\" to the option names it is registered"
                    + " with",
                e.getMessage());
    }
}
