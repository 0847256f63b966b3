package dev.mhc.hf.vit;

import dev.mhc.hf.common.Pooler;

/** pooler_act(dense([CLS] hidden state)) to pooler_output_size. */
public class ViTPooler extends Pooler {

    public ViTPooler(ViTConfig config) {
        super(config.hiddenSize(), config.poolerOutputSize(), config.poolerAct());
    }
}
