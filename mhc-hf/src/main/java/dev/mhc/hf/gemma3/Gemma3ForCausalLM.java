package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.Scalars;
import dev.mhc.hf.generate.CausalLanguageModel;
import java.util.Set;

/**
 * {@code model} (a {@link Gemma3TextModel}) and {@code lm_head}, tied to {@code
 * model.embed_tokens}; logits soft-capped as tanh(logits / cap) cap when
 * final_logit_softcapping is set. Outputs: [logits [batch, seq, vocab]].
 */
public class Gemma3ForCausalLM extends Module implements CausalLanguageModel {

    public static final String BASE_PREFIX = "model";

    private final Gemma3TextConfig config;

    public Gemma3ForCausalLM(Gemma3TextConfig config) {
        this.config = config;
        Gemma3TextModel model = register(BASE_PREFIX, new Gemma3TextModel(config));
        register("lm_head", Linear.tiedTo(model.embedTokens().weight()));
    }

    public Gemma3TextConfig config() {
        return config;
    }

    @Override
    public int[] cacheWindows() {
        return config.cacheWindows();
    }

    @Override
    public Set<Long> eosTokenIds() {
        return config.eosTokenIds();
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray logits = f.call("lm_head", f.outputs(BASE_PREFIX, inputs).head());
        Double cap = config.finalLogitSoftcapping();
        if (cap != null) {
            logits = Scalars.mul(Scalars.div(logits, cap.floatValue()).tanh(), cap.floatValue());
        }
        return new NDList(logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.vocabSize())};
    }
}
