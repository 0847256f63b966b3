package dev.mhc.core.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Error-message helpers shared by the readers, so every lookup failure reads the same way. */
final class Messages {
    private static final int SAMPLE = 5;

    private Messages() {}

    /**
     * An unknown-name error that lists a few available names, preferring ones that differ only by
     * a prefix (the usual cause: {@code bert.} or {@code model.} present on one side only).
     */
    static IllegalArgumentException unknownName(Object source, String name, Collection<String> names) {
        Set<String> shown = new LinkedHashSet<>();
        for (String n : names) {
            if (shown.size() < SAMPLE && (n.endsWith("." + name) || name.endsWith("." + n))) {
                shown.add(n);
            }
        }
        for (String n : names) {
            if (shown.size() >= SAMPLE) {
                break;
            }
            shown.add(n);
        }
        List<String> quoted = new ArrayList<>();
        shown.forEach(n -> quoted.add("'" + n + "'"));
        String more = names.size() > shown.size() ? ", ..." : "";
        return new IllegalArgumentException(source + ": no tensor named '" + name + "'; it has "
                + names.size() + " tensors, e.g. " + String.join(", ", quoted) + more);
    }
}
