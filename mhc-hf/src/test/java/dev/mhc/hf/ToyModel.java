package dev.mhc.hf;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

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
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return inputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
