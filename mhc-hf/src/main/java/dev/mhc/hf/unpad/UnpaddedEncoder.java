package dev.mhc.hf.unpad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.Wrapper;

/**
 * Wraps a BERT encoder: packs its input's real tokens, runs the encoder on them with an {@link
 * Unpadding} in the call's parameters (for the attention), and unpacks its output, zeros at the
 * padding. Inputs and outputs as the encoder's: [hidden [batch, seq, hidden], additive mask].
 */
public class UnpaddedEncoder extends Module implements Wrapper {

    static final String BASE = "base";

    public UnpaddedEncoder(Block encoder) {
        register(BASE, encoder);
    }

    @Override
    public Block wrapped() {
        return child(BASE);
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray hidden = inputs.get(0);
        NDArray mask = inputs.get(1);
        Unpadding unpadding = Unpadding.of(mask);
        NDList packed = wrapped().forward(f.store(), new NDList(unpadding.pack(hidden), mask), f.training(),
                unpadding.addTo(f.params()));
        return new NDList(unpadding.unpack(packed.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
