package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.generate.CausalLanguageModel;

/**
 * {@code transformer} (a {@link GPT2Model}) and {@code lm_head}, tied to {@code transformer.wte}
 * as in HF (checkpoints store the weight once). Outputs: [logits [batch, seq, vocab]].
 */
public class GPT2LMHeadModel extends Module implements CausalLanguageModel {

    public static final String BASE_PREFIX = "transformer";

    private final GPT2Config config;

    public GPT2LMHeadModel(GPT2Config config) {
        this.config = config;
        GPT2Model transformer = register(BASE_PREFIX, new GPT2Model(config));
        register(LM_HEAD, Linear.tiedTo(transformer.wte().weight()));
    }

    public GPT2Config config() {
        return config;
    }

    @Override
    public int[] cacheWindows() {
        return new int[config.nLayer()];
    }

    @Override
    public java.util.Set<Long> eosTokenIds() {
        return java.util.Set.of((long) config.eosTokenId());
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDList hidden = f.outputs(BASE_PREFIX, inputs);
        return f.outputs(LM_HEAD, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.vocabSize())};
    }
}
