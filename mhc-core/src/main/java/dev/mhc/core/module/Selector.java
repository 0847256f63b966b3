package dev.mhc.core.module;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Chooses blocks of a tree, the way PEFT's {@code target_modules} does: by class name, by class,
 * by a full-match path regex, or by any predicate.
 */
public interface Selector {

    boolean matches(ModuleTree.Entry entry);

    /** @return how a person would name this selection, for messages and saved configs */
    String describe();

    /** Blocks whose simple class name is {@code simpleName} ({@code "BertLayer"}). */
    static Selector byClassName(String simpleName) {
        Objects.requireNonNull(simpleName, "simpleName");
        return new ByClassName(simpleName);
    }

    /** Blocks that are instances of {@code type}. */
    static Selector byClass(Class<?> type) {
        Objects.requireNonNull(type, "type");
        return of(e -> type.isInstance(e.block()), "instances of " + type.getName());
    }

    /** Blocks whose whole dotted path matches {@code regex} ({@code "encoder\\.layer\\.\\d+"}). */
    static Selector byPathRegex(String regex) {
        return new ByPathRegex(Pattern.compile(regex));
    }

    /** Blocks at exactly these dotted paths. */
    static Selector byPaths(Collection<String> paths) {
        Set<String> set = Set.copyOf(paths);
        return of(e -> set.contains(e.path()), "the paths " + new TreeSet<>(set));
    }

    static Selector of(Predicate<ModuleTree.Entry> predicate, String description) {
        Objects.requireNonNull(predicate, "predicate");
        return new Selector() {
            @Override
            public boolean matches(ModuleTree.Entry entry) {
                return predicate.test(entry);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** Selection by simple class name; kept as a type so "not found" can suggest a close name. */
    record ByClassName(String simpleName) implements Selector {
        @Override
        public boolean matches(ModuleTree.Entry entry) {
            return entry.className().equals(simpleName);
        }

        @Override
        public String describe() {
            return "class \"" + simpleName + "\"";
        }
    }

    /** Selection by a full-match path regex; kept as a type so saves can record it. */
    record ByPathRegex(Pattern pattern) implements Selector {
        @Override
        public boolean matches(ModuleTree.Entry entry) {
            return pattern.matcher(entry.path()).matches();
        }

        @Override
        public String describe() {
            return "paths matching /" + pattern.pattern() + "/";
        }
    }
}
