package dev.mhc.core.module;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DJL block with what {@code torch.nn.Module} has and DJL lacks: named children that can be
 * replaced in place, and forward hooks.
 *
 * <p>A subclass registers its children with {@link #register} and reaches them by name at forward
 * time ({@link Forward#call}), never through a field: that is what makes {@link #replaceChild}
 * change what the parent runs. Subclasses implement {@link #forwardModule}; hooks run around it
 * for inference and training alike. What a call creates is released when it returns, except its
 * outputs (see {@link BlockScope}).
 */
public abstract class Module extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Slot index by child name: a lookup per call and per registration, not a scan. */
    private final Map<String, Integer> slots = new HashMap<>();
    private final List<ForwardPreHook> preHooks = new CopyOnWriteArrayList<>();
    private final List<PostHook> postHooks = new CopyOnWriteArrayList<>();

    private record PostHook(ForwardHook hook, boolean alwaysCall) {}

    private NDManager parameterManager;

    protected Module() {
        super(VERSION);
    }

    /**
     * For a tree built without arrays (its structure only, to inspect or to inject into): the manager
     * that parameters added to it later (an adapter's) live in. A tree with arrays needs none: those
     * go where its own parameters are.
     */
    public final void parameterManager(NDManager manager) {
        this.parameterManager = manager;
    }

    /** @return the manager set by {@link #parameterManager(NDManager)}, or {@code null} */
    public final NDManager parameterManager() {
        return parameterManager;
    }

    /**
     * Adds a named child. Names are HF's attribute names ({@code "attention"}, {@code "0"}).
     *
     * @return the child, for chaining
     */
    protected final <B extends Block> B register(String name, B block) {
        Objects.requireNonNull(block, "block");
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(
                    "child name must be non-empty and contain no '.', got \"" + name + "\"");
        }
        if (slots.containsKey(name)) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName() + " already has a child named \"" + name + "\"");
        }
        slots.put(name, children.size());
        return addChildBlock(name, block);
    }

    /**
     * @return the class name Hugging Face gives this block, as class-name targeting, inspection
     *     and saved adapters see it: the Java class's simple name, unless one implementation stands
     *     for several HF classes (a rotary decoder layer is {@code LlamaDecoderLayer} in Llama)
     */
    public String className() {
        return getClass().getSimpleName();
    }

    /** @return the names of the children, in registration order */
    public final List<String> childNames() {
        String[] names = new String[slots.size()];
        slots.forEach((name, index) -> names[index] = name);
        return List.of(names);
    }

    /** @return the child currently in slot {@code name} */
    public final Block child(String name) {
        int index = indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName()
                            + " has no child \""
                            + name
                            + "\"; its children are "
                            + childNames());
        }
        return children.valueAt(index);
    }

    /**
     * Puts {@code replacement} into slot {@code name}; the slot keeps its position, so parameter
     * order and DJL's save order are unchanged.
     *
     * @return the block that was in the slot
     */
    public final Block replaceChild(String name, Block replacement) {
        Objects.requireNonNull(replacement, "replacement");
        Block old = child(name);
        int index = indexOf(name);
        String key = children.keyAt(index);
        children.remove(index);
        children.add(index, key, replacement);
        return old;
    }

    /** Registers a hook run before every forward; it may replace the inputs. */
    public final HookHandle registerForwardPreHook(ForwardPreHook hook) {
        Objects.requireNonNull(hook, "hook");
        preHooks.add(hook);
        return () -> preHooks.remove(hook);
    }

    /** Registers a hook run after every successful forward; it may replace the outputs. */
    public final HookHandle registerForwardHook(ForwardHook hook) {
        return registerForwardHook(hook, false);
    }

    /**
     * Registers a post-hook; with {@code alwaysCall} it also runs, with {@code null} outputs,
     * when the forward throws (as torch's {@code always_call}), so hooks that open per-call state
     * in a pre-hook can always close it.
     */
    public final HookHandle registerForwardHook(ForwardHook hook, boolean alwaysCall) {
        Objects.requireNonNull(hook, "hook");
        PostHook entry = new PostHook(hook, alwaysCall);
        postHooks.add(entry);
        return () -> postHooks.remove(entry);
    }

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList in = inputs;
        for (ForwardPreHook hook : preHooks) {
            NDList replaced = hook.beforeForward(this, in);
            if (replaced != null) {
                in = replaced;
            }
        }
        NDList out;
        try (BlockScope scope = new BlockScope()) {
            out = scope.handOut(forwardModule(new Forward(this, ps, training, params), in));
        } catch (RuntimeException | Error e) {
            for (PostHook entry : postHooks) {
                if (entry.alwaysCall()) {
                    try {
                        entry.hook().afterForward(this, in, null);
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
        for (PostHook entry : postHooks) {
            NDList replaced = entry.hook().afterForward(this, in, out);
            if (replaced != null) {
                out = replaced;
            }
        }
        return out;
    }

    /** Training with labels goes through the same hooked path. */
    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList data, NDList labels, PairList<String, Object> params) {
        return forwardInternal(ps, data, true, params);
    }

    /** The module's own computation, between the hooks; {@code f} reaches the children. */
    protected abstract NDList forwardModule(Forward f, NDList inputs);

    /**
     * A module is initialised when all its parameters hold arrays, however they got them (a
     * checkpoint load sets arrays without running DJL's shape-driven initialisation).
     */
    @Override
    public boolean isInitialized() {
        for (Parameter parameter : getParameters().values()) {
            if (!parameter.isInitialized()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Initialises the children in order, feeding each one's output shapes to the next: right for
     * stacks; a module whose children see other shapes overrides this.
     */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (int i = 0; i < children.size(); i++) {
            Block block = children.valueAt(i);
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
    }

    private int indexOf(String name) {
        Integer index = slots.get(name);
        return index == null ? -1 : index;
    }

    /**
     * Strips the position prefix DJL puts on child keys ({@code "%02d" + name}, numbered from 1).
     */
    static String childName(String key, int index) {
        String prefix = String.format(Locale.ROOT, "%02d", index + 1);
        return key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    }
}
