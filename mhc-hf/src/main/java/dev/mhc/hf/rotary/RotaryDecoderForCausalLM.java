package dev.mhc.hf.rotary;

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
 * HF's {@code LlamaForCausalLM} (and Qwen2's, Qwen3's, Gemma 3's): {@code model} (a {@link
 * RotaryDecoderModel}) and {@code lm_head}, its own weight or tied to {@code model.embed_tokens}
 * (tie_word_embeddings; then checkpoints need not store it); logits soft-capped as tanh(logits /
 * cap) cap when the spec has a cap. Outputs: [logits [batch, seq, vocab]].
 */
public class RotaryDecoderForCausalLM extends Module implements CausalLanguageModel {

    public static final String BASE_PREFIX = "model";

    private final DecoderSpec spec;

    public RotaryDecoderForCausalLM(DecoderSpec spec) {
        this.spec = spec;
        RotaryDecoderModel model = register(BASE_PREFIX, new RotaryDecoderModel(spec));
        register(LM_HEAD, spec.tieWordEmbeddings()
                ? Linear.tiedTo(model.embedTokens().weight())
                : new Linear(spec.hiddenSize(), spec.vocabSize(), false));
    }

    @Override
    public String className() {
        return spec.family() + "ForCausalLM";
    }

    public DecoderSpec spec() {
        return spec;
    }

    @Override
    public int[] cacheWindows() {
        return spec.cacheWindows();
    }

    @Override
    public Set<Long> eosTokenIds() {
        return spec.eosTokenIds();
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray logits = f.call(LM_HEAD, f.outputs(BASE_PREFIX, inputs).head());
        Double cap = spec.finalLogitSoftcapping();
        if (cap != null) {
            logits = Scalars.mul(Scalars.div(logits, cap.floatValue()).tanh(), cap.floatValue());
        }
        return new NDList(logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(spec.vocabSize())};
    }
}
