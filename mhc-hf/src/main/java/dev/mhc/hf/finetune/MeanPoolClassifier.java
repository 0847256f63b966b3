package dev.mhc.hf.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.Scalars;
import dev.mhc.hf.common.MeanPooling;

/**
 * A sentence-transformers encoder with a linear head on its (unit-length) mean-pooled embedding:
 * the {@code encoder} is the pretrained model, the {@code classifier} is new.
 */
public final class MeanPoolClassifier extends Module {

    private final Block encoder;

    MeanPoolClassifier(Block encoder, int hidden, int classes) {
        this.encoder = register("encoder", encoder);
        register("classifier", new Linear(hidden, classes));
    }

    /** The pretrained encoder: where LoRA and mixing go, and the root their saves are named from. */
    public Block encoder() {
        return encoder;
    }

    /** Inputs: [input_ids, attention_mask, token_type_ids]; outputs: [logits]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray hidden = f.outputs("encoder", inputs).head();
        NDArray embedding = Scalars.mul(MeanPooling.embed(hidden, inputs.get(1)), 10); // unit vectors, scaled for the head
        return f.outputs("classifier", embedding);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
