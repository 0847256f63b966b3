/**
 * Hugging Face models as DJL blocks named as HF names them: {@link dev.mhc.hf.AutoModel} opens a
 * checkpoint directory ({@link dev.mhc.hf.CheckpointWeights} decides what its weights are) into a
 * {@link dev.mhc.hf.PretrainedModel}. The families live one per package ({@code bert}, {@code vit},
 * {@code gpt2}, {@code gemma3}, {@code llama}, {@code qwen} (Qwen2 and Qwen3); the last three are
 * configs of the one decoder in {@code rotary}); {@code registry} maps {@code model_type} to them,
 * {@code config} binds config.json, {@code patches} shapes a model before and after it is built.
 */
package dev.mhc.hf;
