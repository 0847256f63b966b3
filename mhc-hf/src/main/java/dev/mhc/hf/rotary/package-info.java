/**
 * The rotary decoder that Llama, Qwen2, Qwen3 and Gemma 3 are: {@link
 * dev.mhc.hf.rotary.RotaryDecoderModel} and {@link dev.mhc.hf.rotary.RotaryDecoderForCausalLM}
 * over {@link dev.mhc.hf.rotary.RMSNorm}, {@link dev.mhc.hf.rotary.RotaryEmbedding}, grouped-query
 * {@link dev.mhc.hf.rotary.RotaryAttention} with a KV cache and the gated {@link
 * dev.mhc.hf.rotary.GatedMLP}.
 *
 * <p>As Hugging Face's modular files derive Qwen2 from Llama, a family here is its config record
 * plus the {@link dev.mhc.hf.rotary.DecoderSpec} it makes: the few switches (biases, q/k norms,
 * head size, RoPE per layer, windows, embedding scale, norm weight as w or 1 + w, tied head, logit
 * cap, and Gemma's own sandwich-normed layer) in which it differs. The blocks report HF's class
 * names ({@code LlamaDecoderLayer}, {@code Qwen3Attention}) through {@code Module.className()}, so
 * targeting, inspection and saved adapters see what HF users know.
 */
package dev.mhc.hf.rotary;
