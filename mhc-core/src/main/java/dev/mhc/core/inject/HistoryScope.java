package dev.mhc.core.inject;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The history buffers of the forward calls in progress for one injection: each thread has its
 * own stack, a call of the root model pushes a fresh buffer and pops it when it ends (also when
 * it throws), so calls on different threads, or nested calls, never share history.
 */
final class HistoryScope {

    private final int capacity;
    private final boolean detach;
    private final ThreadLocal<Deque<HistoryBuffer>> calls = ThreadLocal.withInitial(ArrayDeque::new);

    HistoryScope(int capacity, boolean detach) {
        this.capacity = capacity;
        this.detach = detach;
    }

    void open() {
        calls.get().push(new HistoryBuffer(capacity, detach));
    }

    void close() {
        Deque<HistoryBuffer> stack = calls.get();
        stack.poll();
        if (stack.isEmpty()) {
            calls.remove();
        }
    }

    HistoryBuffer current(String layerPath) {
        HistoryBuffer buffer = calls.get().peek();
        if (buffer == null) {
            calls.remove();
            throw new IllegalStateException(
                    "mHC layer \""
                            + layerPath
                            + "\" ran outside a forward call of the model it was injected into;"
                            + " call that model (the block passed to Mhc.injectMhc), which starts a"
                            + " fresh history for each call, rather than an inner block");
        }
        return buffer;
    }
}
