package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.common.Dropouts;

/** [CLS] + patch embeddings, plus learned position embeddings. */
public class ViTEmbeddings extends Module {

    private final ViTConfig config;
    private final Parameter clsToken;
    private final Parameter positionEmbeddings;

    public ViTEmbeddings(ViTConfig config) {
        this.config = config;
        clsToken = addParameter(Weights.normal("cls_token", new Shape(1, 1, config.hiddenSize())));
        positionEmbeddings = addParameter(
                Weights.normal("position_embeddings", new Shape(1, config.numPatches() + 1, config.hiddenSize())));
        register("patch_embeddings", new ViTPatchEmbeddings(config));
    }

    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray patches = forwardChild("patch_embeddings", ps, inputs, training, params).head();
        long batch = patches.getShape().get(0);
        NDArray cls = ps.getValue(clsToken, patches.getDevice(), training);
        NDArray clsRows = patches.getManager().zeros(new Shape(batch, 1, config.hiddenSize())).add(cls);
        NDArray x = NDArrays.concat(new NDList(clsRows, patches), 1)
                .add(ps.getValue(positionEmbeddings, patches.getDevice(), training));
        return new NDList(Dropouts.apply(x, config.hiddenDropoutProb(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numPatches() + 1, config.hiddenSize())};
    }
}
