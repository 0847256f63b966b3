package dev.mhc.core.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.NoMatchingBlockException;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.BertLayer;
import dev.mhc.core.testing.ToyEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every mistake a user can make gets a message that says what was wrong and what to do. */
class MhcErrorsTest extends ManagedTest {

    private static String message(Class<? extends Throwable> type, Executable executable) {
        return assertThrows(type, executable).getMessage();
    }

    @Test
    void wrongClassNameSuggestsTheRightOne() {
        ToyEncoder model = ToyEncoder.of(12, i -> new BertLayer(ToyEncoder.HIDDEN), manager);
        String m = message(NoMatchingBlockException.class, () -> Mhc.injectMhc(model, "BERTLayer", 4));
        assertTrue(m.startsWith("no block of class \"BERTLayer\"; did you mean \"BertLayer\" (12 found)?"), m);
        assertTrue(Mhc.layers(model).isEmpty());
    }

    @Test
    void invalidSettings() {
        ToyEncoder model = ToyEncoder.of(2, manager);
        assertTrue(message(IllegalArgumentException.class, () -> Mhc.injectMhc(model, "ToyLayer", 1))
                .startsWith("maxHistory must be at least 2 (got 1)"));
        assertTrue(message(IllegalArgumentException.class, () -> Mhc.injectMhc(model, "ToyLayer", 0))
                .startsWith("maxHistory must be at least 2 (got 0)"));
        assertTrue(message(IllegalArgumentException.class,
                        () -> Mhc.builder().target("ToyLayer").epsilon(1.0).inject(model))
                .startsWith("epsilon must be in [0, 1) (got 1.0)"));
        assertTrue(message(IllegalArgumentException.class,
                        () -> Mhc.builder().target("ToyLayer").epsilon(-0.1).inject(model))
                .startsWith("epsilon must be in [0, 1) (got -0.1)"));
        assertTrue(message(IllegalArgumentException.class,
                        () -> Mhc.builder().target("ToyLayer").epsilon(Double.NaN).inject(model))
                .startsWith("epsilon must be in [0, 1) (got NaN)"));
        assertTrue(message(IllegalArgumentException.class,
                        () -> Mhc.builder().target("ToyLayer").temperature(0).inject(model))
                .startsWith("temperature must be a finite number > 0 (got 0.0)"));
        assertTrue(message(IllegalArgumentException.class,
                        () -> Mhc.builder().target("ToyLayer").temperature(Double.POSITIVE_INFINITY).inject(model))
                .contains("(got Infinity)"));
        assertTrue(message(IllegalStateException.class, () -> Mhc.builder().inject(model))
                .startsWith("no target set"));
        assertTrue(Mhc.layers(model).isEmpty(), "nothing injected by a failed call");
    }

    @Test
    void injectingTwiceIsRefused() {
        ToyEncoder model = ToyEncoder.of(3, manager);
        Mhc.injectMhc(model, "ToyLayer", 4);
        assertEquals(
                "mHC is already injected at \"layer.0\"; remove it before injecting again",
                message(IllegalStateException.class, () -> Mhc.injectMhc(model, "ToyLayer", 4)));
        assertTrue(message(IllegalStateException.class,
                        () -> Mhc.builder().targetPaths("layer\\.\\d").inject(model))
                .startsWith("mHC is already injected at \"layer.0\""));
        assertEquals(3, Mhc.layers(model).size());
    }

    @Test
    void rootAndNestedAndForeignTargets() {
        ToyEncoder model = ToyEncoder.of(2, manager);
        assertTrue(message(IllegalArgumentException.class,
                        () -> Mhc.builder().target("ToyEncoder").inject(model))
                .contains("selects the model's root block"));
        assertTrue(message(IllegalArgumentException.class,
                        () -> Mhc.builder().targetPaths("layer\\.0(\\.dense)?").inject(model))
                .contains("nested blocks (\"layer.0.dense\" inside \"layer.0\")"));

        SequentialBlock foreign = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        assertTrue(message(IllegalArgumentException.class, () -> Mhc.injectMhc(foreign, "Linear", 2))
                .contains("must be a dev.mhc.core.module.Module"));
        assertTrue(Mhc.layers(model).isEmpty());
        assertEquals("ToyLayer", ModuleTree.get(model, "layer.0").getClass().getSimpleName());
    }
}
