/**
 * Hugging Face model families (BERT, ViT, GPT-2, Gemma 3) as DJL blocks named as HF names them,
 * with checkpoint and tokenizer loading. Placeholder until the model-family issues land.
 */
package dev.mhc.hf;
