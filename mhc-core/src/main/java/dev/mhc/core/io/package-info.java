/**
 * Reading and writing the Hugging Face safetensors format.
 *
 * <p>Pretrained weights arrive as safetensors (one file or index-linked shards), so this package
 * is the bridge between those files and DJL. Headers are validated completely before any tensor
 * data is touched, so a corrupt or truncated file fails at {@code open} with a {@link
 * dev.mhc.core.io.SafetensorsFormatException} instead of crashing later. Half-precision data is
 * widened in Java because DJL's PyTorch engine must never see a {@code BFLOAT16} array.
 */
package dev.mhc.core.io;
