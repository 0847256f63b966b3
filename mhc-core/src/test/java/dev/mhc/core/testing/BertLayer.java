package dev.mhc.core.testing;

/** A {@link ToyLayer} under HF's layer name, for messages and counts as users would see them. */
public class BertLayer extends ToyLayer {

    public BertLayer(int hidden) {
        super(hidden);
    }
}
