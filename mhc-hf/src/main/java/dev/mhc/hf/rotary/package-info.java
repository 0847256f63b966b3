/**
 * The rotary decoder that Llama, Qwen2 and Qwen3 are, and the pieces Gemma 3 shares with it:
 * {@link dev.mhc.hf.rotary.RMSNorm}, {@link dev.mhc.hf.rotary.RotaryEmbedding}, grouped-query
 * {@link dev.mhc.hf.rotary.RotaryAttention} with a KV cache, the gated {@link dev.mhc.hf.rotary.GatedMLP}.
 *
 * <p>As Hugging Face's modular files derive Qwen2 from Llama, a family here is its config record
 * plus a {@link dev.mhc.hf.rotary.DecoderSpec}: the few switches (biases, q/k norms, head size,
 * RoPE scaling, windows, tied head) in which it differs. The blocks report HF's class names
 * ({@code LlamaDecoderLayer}, {@code Qwen3Attention}) through {@code Module.className()}, so
 * targeting, inspection and saved adapters see what HF users know.
 */
package dev.mhc.hf.rotary;
