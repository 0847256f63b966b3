package dev.mhc.core.module;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.AbstractList;
import java.util.List;

/**
 * An indexed container of children named {@code "0"}, {@code "1"}, ... (HF's {@code
 * nn.ModuleList}). Like torch's, it has no forward of its own: its parent loops over it, reading
 * each slot at call time so replaced layers run.
 */
public class ModuleList extends Module {

    public ModuleList() {}

    public ModuleList(List<? extends Block> blocks) {
        blocks.forEach(this::add);
    }

    /** Appends a block under the next index. */
    public final <B extends Block> B add(B block) {
        return register(Integer.toString(size()), block);
    }

    /** @return the block currently in slot {@code index} */
    public final Block get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(
                    "index " + index + " out of range for ModuleList of size " + size());
        }
        return children.valueAt(index);
    }

    public final int size() {
        return children.size();
    }

    /** @return a live view of the slots, in order */
    public final List<Block> blocks() {
        return new AbstractList<>() {
            @Override
            public Block get(int index) {
                return ModuleList.this.get(index);
            }

            @Override
            public int size() {
                return ModuleList.this.size();
            }
        };
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        throw new UnsupportedOperationException(
                "a ModuleList has no forward of its own; its parent runs its blocks in a loop");
    }

    /** The shapes after running the blocks in order, as the default initialisation assumes. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : blocks()) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }
}
