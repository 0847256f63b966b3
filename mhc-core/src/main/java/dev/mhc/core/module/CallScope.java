package dev.mhc.core.module;

import ai.djl.ndarray.NDArray;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * State that belongs to one forward call of a root module: the root's pre-hook opens a fresh
 * state, its post-hook (run even when the call throws) drops it, and blocks inside reach it with
 * {@link #current}. Per thread and per nested call, so concurrent or re-entrant calls never see
 * each other's state. The hooks are on the root while anything has {@link #attach attached}.
 *
 * @param <T> the per-call state
 */
public final class CallScope<T> {

    private final Module root;
    private final Supplier<T> fresh;
    private final ThreadLocal<Deque<Frame<T>>> calls = ThreadLocal.withInitial(ArrayDeque::new);
    private int attached;
    private HookHandle open;
    private HookHandle close;

    /** One call's state and the arrays it keeps until the call ends. */
    private record Frame<T>(T state, List<NDArray> kept) {}

    public CallScope(Module root, Supplier<T> fresh) {
        this.root = root;
        this.fresh = fresh;
    }

    /** Counts one more user; the first puts the hooks on the root. */
    public synchronized void attach() {
        if (attached++ == 0) {
            open = root.registerForwardPreHook((module, inputs) -> {
                calls.get().push(new Frame<>(fresh.get(), new ArrayList<>()));
                return null;
            });
            close = root.registerForwardHook((module, inputs, outputs) -> {
                Deque<Frame<T>> stack = calls.get();
                Frame<T> ended = stack.poll();
                if (ended != null) {
                    ended.kept().forEach(NDArray::close);
                }
                if (stack.isEmpty()) {
                    calls.remove();
                }
                return null;
            }, true);
        }
    }

    /** Counts one user less; the last takes the hooks off. */
    public synchronized void detach() {
        if (attached > 0 && --attached == 0) {
            open.remove();
            close.remove();
        }
    }

    /**
     * @return the state of the innermost call of the root on this thread
     * @throws IllegalStateException with {@code outside}'s message when no call of the root runs
     */
    public T current(Supplier<String> outside) {
        return frame(outside).state();
    }

    /**
     * Keeps an array the current block created for the rest of the root's call (per-call state
     * read by later blocks), instead of releasing it when that block returns (see {@link BlockScope}).
     *
     * @return {@code array}
     */
    public NDArray keep(NDArray array) {
        Frame<T> frame = frame(() -> "keep(...) is only for arrays made during a call of " + root);
        BlockScope.unregisterEverywhere(array);
        frame.kept().add(array);
        return array;
    }

    private Frame<T> frame(Supplier<String> outside) {
        Frame<T> frame = calls.get().peek();
        if (frame == null) {
            calls.remove();
            throw new IllegalStateException(outside.get());
        }
        return frame;
    }
}
