/**
 * The {@code unpad} post-init patch for BERT-family encoders: every per-token layer (projections,
 * MLP, norms, residuals, history mixing) runs on the packed real tokens of a ragged batch, and
 * attention still runs per sequence. {@link dev.mhc.hf.unpad.UnpaddedEncoder} packs and unpacks
 * around the encoder; {@link dev.mhc.hf.unpad.Unpadding}, carried in the call's parameters, tells
 * the attention how to lay the packed tokens back out as sequences.
 */
package dev.mhc.hf.unpad;
