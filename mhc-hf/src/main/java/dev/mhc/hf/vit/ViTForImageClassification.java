package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;

/**
 * {@code vit} (a {@link ViTModel} without pooler) and a linear {@code classifier} over the
 * [CLS] token's final hidden state: HF's {@code ViTForImageClassification}. Outputs: [logits].
 */
public class ViTForImageClassification extends Module {

    /** The base model's attribute name, the prefix of its keys in task checkpoints. */
    public static final String BASE_PREFIX = "vit";

    private final ViTConfig config;

    public ViTForImageClassification(ViTConfig config) {
        this.config = config;
        register(BASE_PREFIX, new ViTModel(config, false));
        register("classifier", new Linear(config.hiddenSize(), config.numLabels()));
    }

    public ViTConfig config() {
        return config;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray hidden = f.outputs(BASE_PREFIX, inputs).head();
        NDArray cls = hidden.get(new NDIndex(":, 0, :"));
        return f.outputs("classifier", cls);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numLabels())};
    }
}
