package dev.mhc.hf.rotary;

/**
 * What one family's pre-norm decoder layer ({@link RotaryDecoderLayer}) is made of.
 *
 * @param family the HF class-name prefix ({@code "Llama"})
 * @param attention its attention
 * @param intermediateSize the MLP's inner size
 * @param hiddenAct the gate's activation, HF's name ({@code "silu"})
 * @param mlpBias whether the MLP projections have biases
 * @param rmsNormEps the norms' epsilon
 */
public record DecoderLayerSpec(
        String family,
        AttentionSpec attention,
        int intermediateSize,
        String hiddenAct,
        boolean mlpBias,
        double rmsNormEps) {

    public int hiddenSize() {
        return attention.hiddenSize();
    }
}
