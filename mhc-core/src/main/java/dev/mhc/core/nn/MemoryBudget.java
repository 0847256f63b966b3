package dev.mhc.core.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Refuses, before anything is allocated, parameters that could never fit in this machine's memory:
 * a config's sizes, a flag or a patch option can ask for any number, and the allocation itself would
 * only fail after minutes of swapping, or with a native {@code bad_alloc}.
 */
public final class MemoryBudget {

    private static final long FLOAT_BYTES = Float.BYTES;

    private MemoryBudget() {}

    /** @return the machine's physical memory in bytes, or {@link Long#MAX_VALUE} when it cannot be told */
    public static long physicalBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            return total > 0 ? total : Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    /** @return the float32 elements of the shapes, without overflow (saturating at {@link Long#MAX_VALUE}) */
    public static long elements(Collection<Shape> shapes) {
        long total = 0;
        for (Shape shape : shapes) {
            long size = 1;
            for (long dim : shape.getShape()) {
                size = dim > 0 && size > Long.MAX_VALUE / dim ? Long.MAX_VALUE : size * Math.max(dim, 0);
            }
            total = total > Long.MAX_VALUE - size ? Long.MAX_VALUE : total + size;
        }
        return total;
    }

    /** @return the float32 elements of the distinct parameters (a tied weight counted once) */
    public static long elementsOf(Collection<Parameter> parameters) {
        Set<Parameter> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(parameters);
        return elements(distinct.stream().map(Parameter::getShape).filter(s -> s != null).toList());
    }

    /**
     * For arrays whose first values are made in Java and handed to the engine (an adapter's initial
     * weights): no one array of more floats than a Java buffer holds (2^31 bytes), and all of them
     * within the JVM's memory as well as the machine's.
     */
    public static void checkFromJava(Collection<Shape> shapes, String what, String toDo) {
        for (Shape shape : shapes) {
            long n = elements(java.util.List.of(shape));
            if (n > Integer.MAX_VALUE / FLOAT_BYTES) {
                throw new IllegalArgumentException(what + " would make one array of " + count(n) + " values (shape "
                        + shape + "), more than an array can hold (2^29 floats); " + toDo);
            }
        }
        long elements = elements(shapes);
        long jvm = Runtime.getRuntime().maxMemory();
        if (bytes(elements) > jvm) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s would take %s values (%s in"
                    + " float32), more than this JVM's %s of memory (-Xmx); %s", what, count(elements),
                    size(bytes(elements)), size(jvm), toDo));
        }
        check(elements, what, toDo);
    }

    /**
     * @param what what the elements are, for the message ("the model's parameters")
     * @param toDo what to change when they do not fit
     * @throws IllegalArgumentException when {@code elements} float32 values exceed the machine's memory
     */
    public static void check(long elements, String what, String toDo) {
        long bytes = bytes(elements);
        long physical = physicalBytes();
        if (bytes > physical) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s would take %s values (%s in float32), more than this machine's %s of memory; %s", what,
                    count(elements), size(bytes), size(physical), toDo));
        }
    }

    /** float32 bytes of {@code elements}, saturating at {@link Long#MAX_VALUE}. */
    private static long bytes(long elements) {
        return elements > Long.MAX_VALUE / FLOAT_BYTES ? Long.MAX_VALUE : elements * FLOAT_BYTES;
    }

    private static String count(long n) {
        return n >= 1e9 ? String.format(java.util.Locale.ROOT, "%.1f billion", n / 1e9)
                : n >= 1e6 ? String.format(java.util.Locale.ROOT, "%.1f million", n / 1e6) : Long.toString(n);
    }

    private static String size(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than can be counted" : String.format(java.util.Locale.ROOT, "%.1f GiB",
                bytes / (double) (1L << 30));
    }
}
