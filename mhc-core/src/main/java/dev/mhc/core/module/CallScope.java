package dev.mhc.core.module;

import java.util.ArrayDeque;
import java.util.Deque;
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
    private final ThreadLocal<Deque<T>> calls = ThreadLocal.withInitial(ArrayDeque::new);
    private int attached;
    private HookHandle open;
    private HookHandle close;

    public CallScope(Module root, Supplier<T> fresh) {
        this.root = root;
        this.fresh = fresh;
    }

    /** Counts one more user; the first puts the hooks on the root. */
    public synchronized void attach() {
        if (attached++ == 0) {
            open = root.registerForwardPreHook((module, inputs) -> {
                calls.get().push(fresh.get());
                return null;
            });
            close = root.registerForwardHook((module, inputs, outputs) -> {
                Deque<T> stack = calls.get();
                stack.poll();
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
        T state = calls.get().peek();
        if (state == null) {
            calls.remove();
            throw new IllegalStateException(outside.get());
        }
        return state;
    }
}
