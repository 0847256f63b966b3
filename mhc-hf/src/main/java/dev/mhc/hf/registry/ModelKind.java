package dev.mhc.hf.registry;

/**
 * What an architecture is for, so callers can pick a head-specific loader or refuse a task the
 * model cannot do (the Python original's {@code model_general_type}).
 */
public enum ModelKind {
    CAUSAL_LM,
    MASKED_LM,
    SEQUENCE_CLASSIFICATION,
    IMAGE_CLASSIFICATION,
    /** A bare backbone without a task head (HF's {@code BertModel}, {@code ViTModel}). */
    GENERAL
}
