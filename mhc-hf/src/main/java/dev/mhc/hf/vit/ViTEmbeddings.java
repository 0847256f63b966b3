package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
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
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray patches = f.outputs("patch_embeddings", inputs).head();
        long batch = patches.getShape().get(0);
        NDArray cls = f.value(clsToken, patches);
        NDArray clsRows = patches.getManager().zeros(new Shape(batch, 1, config.hiddenSize())).add(cls);
        NDArray x = NDArrays.concat(new NDList(clsRows, patches), 1)
                .add(f.value(positionEmbeddings, patches));
        return new NDList(Dropouts.apply(x, config.hiddenDropoutProb(), f.training()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numPatches() + 1, config.hiddenSize())};
    }
}
