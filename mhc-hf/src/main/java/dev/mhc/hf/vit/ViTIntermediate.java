package dev.mhc.hf.vit;

import dev.mhc.hf.common.Intermediate;

/** ViT's feed-forward expansion ({@code intermediate}). */
public class ViTIntermediate extends Intermediate {

    public ViTIntermediate(ViTConfig config) {
        super(config.hiddenSize(), config.intermediateSize(), config.hiddenAct());
    }
}
