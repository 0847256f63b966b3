package dev.mhc.hf;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;

import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;

/** A model block with one replaceable layer per configured layer, built without an engine. */
public class ToyModel extends Module {

    final ToyConfig config;

    public ToyModel(ToyConfig config) {
        this.config = config;
        ModuleList layers = register("layer", new ModuleList());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new LambdaBlock(x -> x, "ToyLayer"));
        }
    }

    public ModuleList layers() {
        return (ModuleList) child("layer");
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        return inputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
