package dev.mhc.core.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.BertLayer;
import dev.mhc.core.testing.ToyEncoder;
import dev.mhc.core.testing.ToyLayer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleTreeTest extends ManagedTest {

    private static List<String> paths(List<ModuleTree.Entry> entries) {
        return entries.stream().map(ModuleTree.Entry::path).collect(Collectors.toList());
    }

    @Test
    void walkYieldsHfStylePathsInTreeOrder() {
        ToyEncoder model = ToyEncoder.of(2, manager);
        List<ModuleTree.Entry> entries = ModuleTree.walk(model);
        assertEquals(
                List.of(
                        "",
                        "embeddings",
                        "embeddings.dense",
                        "layer",
                        "layer.0",
                        "layer.0.dense",
                        "layer.1",
                        "layer.1.dense"),
                paths(entries));
        assertEquals("ToyEncoder", entries.get(0).className());
        assertEquals("ModuleList", entries.get(3).className());
        assertEquals("0", entries.get(4).name());
        assertSame(entries.get(3).block(), entries.get(4).parent());
    }

    @Test
    void walkNamesForeignDjlChildrenWithoutTheirNumberPrefix() {
        SequentialBlock sequential = new SequentialBlock();
        sequential.add(Linear.builder().setUnits(3).build());
        sequential.add(Linear.builder().setUnits(2).build());
        Wrapping root = new Wrapping(sequential);
        // Two children both keyed "Linear": named by index, as torch's nn.Sequential.
        assertEquals(List.of("", "seq", "seq.0", "seq.1"), paths(ModuleTree.walk(root)));
    }

    @Test
    void selectorsByClassNameClassRegexAndPredicate() {
        ToyEncoder model = ToyEncoder.of(3, manager);
        assertEquals(
                List.of("layer.0", "layer.1", "layer.2"),
                paths(ModuleTree.select(model, Selector.byClassName("ToyLayer"))));
        assertEquals(4, ModuleTree.select(model, Selector.byClass(Linear.class)).size());
        // Full match, as PEFT's string target_modules: "layer.0.dense" is not selected.
        assertEquals(
                List.of("layer.0", "layer.2"),
                paths(ModuleTree.select(model, Selector.byPathRegex("layer\\.[02]"))));
        assertEquals(
                List.of("layer.1.dense"),
                paths(
                        ModuleTree.select(
                                model,
                                Selector.of(e -> e.path().endsWith("1.dense"), "the second dense"))));
        assertTrue(ModuleTree.find(model, Selector.byClassName("Nothing")).isEmpty());
    }

    @Test
    void noMatchListsClassesWithCountsAndTheClosestName() {
        ToyEncoder model = ToyEncoder.of(12, i -> new BertLayer(ToyEncoder.HIDDEN), manager);
        NoMatchingBlockException e =
                assertThrows(
                        NoMatchingBlockException.class,
                        () -> ModuleTree.select(model, Selector.byClassName("BERTLayer")));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "no block of class \"BERTLayer\"; did you mean \"BertLayer\" (12 found)?"),
                e.getMessage());
        assertTrue(e.getMessage().contains("BertLayer x12"), e.getMessage());
        assertTrue(e.getMessage().contains("Linear x13"), e.getMessage());
        assertTrue(e.getMessage().contains("ToyEncoder x1"), e.getMessage());

        NoMatchingBlockException far =
                assertThrows(
                        NoMatchingBlockException.class,
                        () -> ModuleTree.select(model, Selector.byClassName("GPT2Block")));
        assertFalse(far.getMessage().contains("did you mean"), far.getMessage());
        assertTrue(far.getMessage().contains("The model contains: ToyEncoder x1"), far.getMessage());

        NoMatchingBlockException regex =
                assertThrows(
                        NoMatchingBlockException.class,
                        () -> ModuleTree.select(model, Selector.byPathRegex("h\\.\\d+")));
        assertTrue(regex.getMessage().startsWith("no block of paths matching /h\\.\\d+/"));
    }

    @Test
    void replacementChangesWhatTheParentRunsAndKeepsOrder() {
        ToyEncoder model = ToyEncoder.of(3, manager);
        ParameterStore ps = new ParameterStore(manager, false);
        NDList input = new NDList(ToyEncoder.input(manager, 1));
        float[] before = model.forward(ps, input, false).head().toFloatArray();

        Block old = ModuleTree.replace(model, "layer.1", new Identity());
        assertTrue(old instanceof ToyLayer);
        assertEquals("Identity", ModuleTree.get(model, "layer.1").getClass().getSimpleName());
        assertEquals(List.of("0", "1", "2"), ((Module) ModuleTree.get(model, "layer")).childNames());
        float[] skipped = model.forward(ps, input, false).head().toFloatArray();
        assertNotEquals(before[0], skipped[0]);

        ModuleTree.replace(model, "layer.1", old);
        assertArrayEquals(before, model.forward(ps, input, false).head().toFloatArray());
        assertEquals(
                List.of("layer.0.dense.weight", "layer.0.dense.bias"),
                ModuleTree.parameters(model).keySet().stream()
                        .filter(k -> k.startsWith("layer.0"))
                        .collect(Collectors.toList()));
    }

    @Test
    void replacementInsideAForeignParentIsAClearError() {
        SequentialBlock sequential = new SequentialBlock();
        sequential.add(Linear.builder().setUnits(3).build());
        Wrapping root = new Wrapping(sequential);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ModuleTree.replace(root, "seq.Linear", new Identity()));
        assertTrue(
                e.getMessage()
                        .contains(
                                "cannot replace \"seq.Linear\" (Linear): its parent SequentialBlock"
                                        + " is not a dev.mhc.core.module.Module"),
                e.getMessage());
        IllegalArgumentException root2 =
                assertThrows(IllegalArgumentException.class, () -> ModuleTree.replace(root, "", new Identity()));
        assertTrue(root2.getMessage().contains("cannot replace the root block"));
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> ModuleTree.get(root, "seq.9"));
        assertTrue(missing.getMessage().contains("no block at path \"seq.9\""));
    }

    @Test
    void childLookupAndRegistrationErrorsNameTheChildren() {
        ToyLayer layer = new ToyLayer(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.child("dens"));
        assertEquals("ToyLayer has no child \"dens\"; its children are [dense]", e.getMessage());
        IllegalArgumentException dup =
                assertThrows(IllegalArgumentException.class, () -> new Wrapping(new Identity()).addTwice());
        assertTrue(dup.getMessage().contains("already has a child named \"seq\""));
    }

    @Test
    void initialisesChildrenInOrder() {
        ToyEncoder model = ToyEncoder.of(2, manager);
        assertTrue(model.isInitialized());
        Map<String, ai.djl.nn.Parameter> parameters = ModuleTree.parameters(model);
        assertEquals(new Shape(ToyEncoder.HIDDEN, ToyEncoder.HIDDEN), parameters.get("layer.1.dense.weight").getArray().getShape());
        assertEquals(DataType.FLOAT32, parameters.get("embeddings.dense.bias").getArray().getDataType());
    }

    /** Passes its input through. */
    static final class Identity extends Module {
        @Override
        protected NDList forwardModule(Forward f, NDList inputs) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /** A Module root around any block, to put foreign DJL blocks in a tree. */
    static final class Wrapping extends Module {
        private final Block inner;

        Wrapping(Block inner) {
            this.inner = inner;
            register("seq", inner);
        }

        void addTwice() {
            register("seq", inner);
        }

        @Override
        protected NDList forwardModule(Forward f, NDList inputs) {
            return f.outputs("seq", inputs);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
