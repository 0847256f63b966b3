package dev.mhc.core.adapter;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Module;
import java.util.List;

/**
 * The common part of a kind's wrapper: the target block registered as {@code base_layer} and kept
 * untouched, the path it was wrapped at, and the base's output shapes. A kind's wrapper extends
 * this, adds its own children and parameters, and writes its {@code forwardModule}.
 */
public abstract class AdapterModule extends Module implements AdapterLayer {

    private static final String BASE = "base_layer";

    private final String path;

    protected AdapterModule(Block base, String path) {
        this.path = path;
        register(BASE, base);
    }

    @Override
    public Block wrapped() {
        return child(BASE);
    }

    @Override
    public final String path() {
        return path;
    }

    /** @return the names of this wrapper's own children, the base excluded */
    protected final List<String> ownChildNames() {
        return childNames().stream().filter(name -> !name.equals(BASE)).toList();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return wrapped().getOutputShapes(inputShapes);
    }
}
