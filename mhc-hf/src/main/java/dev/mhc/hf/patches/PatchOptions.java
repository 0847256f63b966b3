package dev.mhc.hf.patches;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options a patch receives: only those it declared, so one shared options map can be passed
 * to every patch (the Python original filters keyword arguments by signature). A missing option,
 * or one given as null, reads as the default the patch supplies. Reading an option the patch did
 * not declare is a bug in the patch and fails.
 */
public final class PatchOptions {

    private final String patch;
    private final Set<String> declared;
    private final Map<String, Object> values;

    private PatchOptions(String patch, Set<String> declared, Map<String, Object> values) {
        this.patch = patch;
        this.declared = declared;
        this.values = values;
    }

    /**
     * @param patch the patch's name in messages, e.g. {@code bert/mhc}
     * @param declared the option names the patch accepts
     * @param given any options; those not declared are dropped
     */
    public static PatchOptions of(String patch, Set<String> declared, Map<String, ?> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        given.forEach(
                (name, value) -> {
                    if (declared.contains(name) && value != null) {
                        values.put(name, value);
                    }
                });
        return new PatchOptions(
                patch,
                Collections.unmodifiableSet(new TreeSet<>(declared)),
                Collections.unmodifiableMap(values));
    }

    /** @return the declared option names, sorted */
    public Set<String> declared() {
        return declared;
    }

    /** @return the options given (declared, non-null), in the order given */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return value(name) != null;
    }

    public int getInt(String name, int defaultValue) {
        Object value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long wide && wide == wide.intValue()) {
            return wide.intValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < Integer.SIZE) {
            return big.intValue();
        }
        throw wrongType(name, value, "an int");
    }

    public double getDouble(String name, double defaultValue) {
        Object value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw wrongType(name, value, "a number");
    }

    public boolean getBoolean(String name, boolean defaultValue) {
        Object value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw wrongType(name, value, "true or false");
    }

    public String getString(String name, String defaultValue) {
        Object value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        throw wrongType(name, value, "a string");
    }

    @Override
    public String toString() {
        return patch + values;
    }

    private Object value(String name) {
        if (!declared.contains(name)) {
            throw new IllegalArgumentException(
                    "patch "
                            + patch
                            + " reads option \""
                            + name
                            + "\" but declares only "
                            + declared
                            + "; add \""
                            + name
                            + "\" to the option names it is registered with");
        }
        return values.get(name);
    }

    private IllegalArgumentException wrongType(String name, Object value, String expected) {
        return new IllegalArgumentException(
                "option \""
                        + name
                        + "\" of patch "
                        + patch
                        + " must be "
                        + expected
                        + ", got "
                        + (value instanceof CharSequence ? "\"" + value + "\"" : value)
                        + " ("
                        + value.getClass().getSimpleName()
                        + ")");
    }
}
