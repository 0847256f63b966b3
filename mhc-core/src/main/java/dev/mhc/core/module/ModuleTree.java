package dev.mhc.core.module;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import dev.mhc.core.text.Suggestions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Walks any DJL block tree and names every block by its HF-style dotted path ({@code
 * encoder.layer.3.attention}); selects blocks and replaces them inside {@link Module} parents.
 * Every injection (mHC, LoRA) selects and replaces through here; none walks a tree on its own.
 */
public final class ModuleTree {

    private ModuleTree() {}

    /**
     * One block of a tree.
     *
     * @param path the dotted path from the root ({@code ""} for the root)
     * @param name the block's slot in its parent: the last path element ({@code ""} for the
     *     root), or for the block inside a {@link Wrapper}, the wrapper's slot holding it
     * @param block the block
     * @param parent the block holding it, {@code null} for the root; for the block inside a
     *     {@link Wrapper}, the wrapper (both share one path)
     */
    public record Entry(String path, String name, Block block, Block parent) {

        public String className() {
            return ModuleTree.className(block);
        }
    }

    /** @return the class name {@code block} is selected by: {@link Module#className()}, else its simple name */
    public static String className(Block block) {
        return block instanceof Module module ? module.className() : block.getClass().getSimpleName();
    }

    /** @return every block of the tree, parents before children, children in order */
    public static List<Entry> walk(Block root) {
        Objects.requireNonNull(root, "root");
        List<Entry> entries = new ArrayList<>();
        visit(new Entry("", "", root, null), entries);
        return entries;
    }

    private static void visit(Entry entry, List<Entry> out) {
        out.add(entry);
        Block block = entry.block();
        BlockList children = block.getChildren();
        List<String> names = childNames(block, children);
        Block wrapped = block instanceof Wrapper wrapper ? wrapper.wrapped() : null;
        for (int i = 0; i < children.size(); i++) {
            if (children.valueAt(i) == wrapped) {
                visit(new Entry(entry.path(), names.get(i), wrapped, block), out);
            }
        }
        for (int i = 0; i < children.size(); i++) {
            if (children.valueAt(i) == wrapped) {
                continue; // reported at the wrapper's own path
            }
            String name = names.get(i);
            String path = entry.path().isEmpty() ? name : entry.path() + "." + name;
            visit(new Entry(path, name, children.valueAt(i), block), out);
        }
    }

    /**
     * Names of a block's children: a {@link Module}'s own names; for other DJL blocks the keys
     * without DJL's number prefix, or the indices when those collide (as {@code nn.Sequential}).
     */
    private static List<String> childNames(Block block, BlockList children) {
        if (block instanceof Module module) {
            return module.childNames();
        }
        List<String> names = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            names.add(Module.childName(children.keyAt(i), i));
        }
        if (new HashSet<>(names).size() == names.size()) {
            return names;
        }
        List<String> indices = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            indices.add(Integer.toString(i));
        }
        return indices;
    }

    /** @return the blocks the selector matches, in tree order (possibly none) */
    public static List<Entry> find(Block root, Selector selector) {
        return outermost(walk(root).stream().filter(selector::matches).collect(Collectors.toList()));
    }

    /**
     * Where a selector matches both a wrapper and the block it wraps (one path, as a path regex
     * does), the wrapper is the one meant: the block inside is dropped.
     */
    private static List<Entry> outermost(List<Entry> matched) {
        Set<Block> blocks = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        matched.forEach(e -> blocks.add(e.block()));
        return matched.stream()
                .filter(e -> !(e.parent() instanceof Wrapper && blocks.contains(e.parent())))
                .collect(Collectors.toList());
    }

    /**
     * @return the blocks the selector matches, in tree order
     * @throws NoMatchingBlockException when there are none; the message lists the classes the
     *     tree does contain and the closest class name
     */
    public static List<Entry> select(Block root, Selector selector) {
        List<Entry> entries = walk(root);
        List<Entry> matched = outermost(entries.stream().filter(selector::matches).collect(Collectors.toList()));
        if (matched.isEmpty()) {
            throw new NoMatchingBlockException(noMatchMessage(entries, selector));
        }
        return matched;
    }

    /** @return the block at {@code path} (the outermost one where a wrapper shares the path) */
    public static Block get(Block root, String path) {
        return entryAt(root, path).block();
    }

    /** @return the entry at {@code path} (the outermost one where a wrapper shares the path) */
    public static Entry entryAt(Block root, String path) {
        for (Entry entry : walk(root)) {
            if (entry.path().equals(path)) {
                return entry;
            }
        }
        throw new IllegalArgumentException(
                "no block at path \"" + path + "\"; paths look like \"encoder.layer.0\"");
    }

    /**
     * @return every parameter by its state-dict key, the owning block's path plus the parameter's
     *     name ({@code encoder.layer.0.attention.self.query.weight}), in tree order
     */
    public static Map<String, Parameter> parameters(Block root) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Entry entry : walk(root)) {
            String prefix = entry.path().isEmpty() ? "" : entry.path() + ".";
            for (Parameter parameter : entry.block().getDirectParameters().values()) {
                parameters.put(prefix + parameter.getName(), parameter);
            }
        }
        return parameters;
    }

    /** @return class simple name to number of blocks of that class, in order of first appearance */
    public static Map<String, Integer> classCounts(Block root) {
        return classCounts(walk(root));
    }

    private static Map<String, Integer> classCounts(List<Entry> entries) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Entry entry : entries) {
            counts.merge(entry.className(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Puts {@code replacement} where {@code entry} is; its parent must be a {@link Module}.
     *
     * @return the block that was there
     */
    public static Block replace(Entry entry, Block replacement) {
        checkReplaceable(entry);
        return ((Module) entry.parent()).replaceChild(entry.name(), replacement);
    }

    /** Fails with an explanation unless {@code entry}'s parent is a {@link Module}. */
    public static void checkReplaceable(Entry entry) {
        if (entry.parent() == null) {
            throw new IllegalArgumentException(
                    "cannot replace the root block ("
                            + entry.className()
                            + "); select a block inside it");
        }
        if (!(entry.parent() instanceof Module)) {
            throw new IllegalArgumentException(
                    "cannot replace \""
                            + entry.path()
                            + "\" ("
                            + entry.className()
                            + "): its parent "
                            + className(entry.parent())
                            + " is not a "
                            + Module.class.getName()
                            + ", and DJL blocks cannot swap a child once built; build that parent"
                            + " as a Module");
        }
    }

    /** Replaces the (outermost) block at {@code path}; see {@link #replace(Entry, Block)}. */
    public static Block replace(Block root, String path, Block replacement) {
        return replace(entryAt(root, path), replacement);
    }

    private static String noMatchMessage(List<Entry> entries, Selector selector) {
        Map<String, Integer> counts = classCounts(entries);
        StringBuilder message = new StringBuilder("no block of ").append(selector.describe());
        if (selector instanceof Selector.ByClassName byName) {
            String closest = Suggestions.closest(byName.simpleName(), counts.keySet());
            if (closest != null) {
                message.append("; did you mean \"")
                        .append(closest)
                        .append("\" (")
                        .append(counts.get(closest))
                        .append(" found)?");
            }
        }
        message.append(" The model contains: ");
        message.append(
                counts.entrySet().stream()
                        .map(e -> e.getKey() + " x" + e.getValue())
                        .collect(Collectors.joining(", ")));
        return message.toString();
    }
}
