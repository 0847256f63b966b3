package dev.mhc.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import dev.mhc.testing.ManagedTest;
import org.junit.jupiter.api.Test;

class ModuleHooksTest extends ManagedTest {

    private final List<String> calls = new ArrayList<>();

    private float run(Module module, float x, boolean training) {
        NDArray in = manager.create(new float[] {x});
        return module.forward(ps, new NDList(in), training).head().getFloat(0);
    }

    @Test
    void hooksRunInRegistrationOrderAroundForwardAndMayReplaceValues() {
        AddOne module = new AddOne(calls);
        module.registerForwardPreHook((m, in) -> { calls.add("pre1"); return null; });
        module.registerForwardPreHook((m, in) -> { calls.add("pre2"); return new NDList(in.head().mul(10)); });
        module.registerForwardHook((m, in, out) -> { calls.add("post1"); return null; });
        module.registerForwardHook((m, in, out) -> { calls.add("post2"); return new NDList(out.head().neg()); });

        assertEquals(-21f, run(module, 2f, false)); // -(2 * 10 + 1)
        assertEquals(List.of("pre1", "pre2", "forward", "post1", "post2"), calls);
        calls.clear();
        assertEquals(-21f, run(module, 2f, true)); // the training path runs them too
        assertEquals(List.of("pre1", "pre2", "forward", "post1", "post2"), calls);
    }

    @Test
    void removedHooksNoLongerRun() {
        AddOne module = new AddOne(calls);
        HookHandle pre = module.registerForwardPreHook((m, in) -> new NDList(in.head().mul(10)));
        HookHandle post = module.registerForwardHook((m, in, out) -> new NDList(out.head().neg()));
        assertEquals(-21f, run(module, 2f, false));
        pre.remove();
        assertEquals(-3f, run(module, 2f, false));
        post.close();
        post.remove(); // twice is harmless
        assertEquals(3f, run(module, 2f, false));
    }

    @Test
    void alwaysCallHooksRunWhenForwardThrows() {
        AddOne module = new AddOne(calls);
        module.failWith = new IllegalStateException("boom");
        List<NDList> seen = new ArrayList<>();
        module.registerForwardHook((m, in, out) -> { calls.add("plain"); return null; });
        module.registerForwardHook((m, in, out) -> { calls.add("always"); seen.add(out); return null; }, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(module, 1f, false));
        assertEquals("boom", e.getMessage());
        assertEquals(List.of("forward", "always"), calls);
        assertNull(seen.get(0));
    }

    /** y = x + 1, recording its calls. */
    static final class AddOne extends Module {
        private final List<String> calls;
        RuntimeException failWith;

        AddOne(List<String> calls) {
            this.calls = calls;
            inputShapes = new Shape[] {new Shape(1)};
        }

        @Override
        protected NDList forwardModule(Forward f, NDList inputs) {
            calls.add("forward");
            if (failWith != null) {
                throw failWith;
            }
            return new NDList(inputs.head().add(1));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
