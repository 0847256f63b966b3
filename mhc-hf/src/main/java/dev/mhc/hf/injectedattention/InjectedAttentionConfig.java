package dev.mhc.hf.injectedattention;

/**
 * The settings of an attention injection.
 *
 * @param initialGate each block's starting gate: 0 keeps the base model's function, 1 adds the
 *     copied attention's full output
 */
public record InjectedAttentionConfig(float initialGate) {

    public InjectedAttentionConfig {
        if (!Float.isFinite(initialGate)) {
            throw new IllegalArgumentException("initial_gate must be a finite number, got " + initialGate);
        }
    }
}
