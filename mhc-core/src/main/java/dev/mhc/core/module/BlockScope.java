package dev.mhc.core.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The arrays one call of one {@link Module} creates: released when the call returns, except its
 * outputs, which pass to the enclosing call's scope (or, at the root, to the caller's manager).
 * So a forward holds one block's intermediates at a time, not the whole model's, as PyTorch
 * frees them as it goes. Autograd is unaffected: closing a handle only drops the Java side's
 * reference, and libtorch keeps what the backward pass saved.
 *
 * <p>Arrays that must outlive the block some other way are taken out of its scope by whoever
 * keeps them: a KV cache, {@link CallScope#keep} for per-call state, {@link Forward#value} for
 * parameters. Arrays built from Java data inside a block must be copied into libtorch's memory
 * (they borrow a Java buffer that the garbage collector may free once their handle is closed).
 */
final class BlockScope implements AutoCloseable {

    /** The arrays an {@link NDScope} will close; DJL offers no query, and the outputs need one. */
    private static final VarHandle RESOURCES;
    /** The thread's open scopes, innermost last; DJL's own unregister reaches only the innermost. */
    private static final VarHandle STACK;

    static {
        try {
            MethodHandles.Lookup djl = MethodHandles.privateLookupIn(NDScope.class, MethodHandles.lookup());
            RESOURCES = djl.findVarHandle(NDScope.class, "resources", IdentityHashMap.class);
            STACK = djl.findStaticVarHandle(NDScope.class, "SCOPE_STACK", ThreadLocal.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("DJL's NDScope no longer keeps its arrays in a field"
                    + " \"resources\" and a stack \"SCOPE_STACK\" (DJL 0.35.1 does); per-block memory scoping"
                    + " must follow the new DJL: " + e);
        }
    }

    private final NDScope scope = new NDScope();
    private boolean closed;

    /**
     * Releases everything the call created except {@code outputs}, which join the enclosing scope.
     *
     * @return {@code outputs}
     */
    NDList handOut(NDList outputs) {
        IdentityHashMap<NDArray, NDArray> owned = resources(scope);
        List<NDArray> handed = new ArrayList<>(outputs.size());
        for (NDArray output : outputs) {
            if (owned.remove(output) != null) {
                handed.add(output);
            }
        }
        close();
        handed.forEach(NDScope::register);
        return outputs;
    }

    /** Takes {@code array} out of every open scope of this thread: its manager alone owns it now. */
    static void unregisterEverywhere(NDArray array) {
        for (NDScope scope : openScopes()) {
            resources(scope).remove(array);
        }
    }

    /**
     * Releases {@code array} now if the current call's scope still owns it, that is if no hook
     * {@linkplain ForwardHook#keep kept} it.
     */
    static void releaseIfOwned(NDArray array) {
        Deque<NDScope> open = openScopes();
        if (!open.isEmpty() && resources(open.getLast()).remove(array) != null) {
            array.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Deque<NDScope> openScopes() {
        return ((ThreadLocal<Deque<NDScope>>) STACK.get()).get();
    }

    @SuppressWarnings("unchecked")
    private static IdentityHashMap<NDArray, NDArray> resources(NDScope scope) {
        return (IdentityHashMap<NDArray, NDArray>) RESOURCES.get(scope);
    }

    /** Releases everything the call created (the call failed, or its outputs were handed out). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            scope.close();
        }
    }
}
