package dev.mhc.core.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mhc.core.module.Selector;

/**
 * A selector as a save records it, when it can be written down: a class name or a path regex.
 * Kinds that save no target select the recorded paths on load.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SavedTarget(String className, String pathRegex) {

    /** @return the selector's record, or {@code null} for selectors that cannot be written down */
    public static SavedTarget of(Selector selector) {
        if (selector instanceof Selector.ByClassName byName) {
            return new SavedTarget(byName.simpleName(), null);
        }
        if (selector instanceof Selector.ByPathRegex byRegex) {
            return new SavedTarget(null, byRegex.pattern().pattern());
        }
        return null;
    }

    /** @return whether exactly one of the two is given */
    public boolean valid() {
        return (className == null) != (pathRegex == null);
    }

    public Selector selector() {
        return className != null ? Selector.byClassName(className) : Selector.byPathRegex(pathRegex);
    }
}
