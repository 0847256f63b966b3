package dev.mhc.hf.vit;

/** The feed-forward block's tail: dense from intermediate_size, dropout, plus the residual. */
public class ViTOutput extends ViTSelfOutput {

    public ViTOutput(ViTConfig config) {
        super(config, config.intermediateSize());
    }
}
