package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;

/** The stack {@code layer.0..n-1} of {@link BertLayer}s. */
public class BertEncoder extends Module {

    private final ModuleList layers;

    public BertEncoder(BertConfig config) {
        layers = register("layer", new ModuleList());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new BertLayer(config));
        }
    }

    /** Inputs: [hidden, additive mask]; outputs: [last hidden state]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray hidden = inputs.get(0);
        NDArray mask = inputs.get(1);
        for (Block layer : layers.blocks()) {
            hidden = f.runLayer(layer, new NDList(hidden, mask));
        }
        return new NDList(hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
