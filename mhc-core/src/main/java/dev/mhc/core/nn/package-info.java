/**
 * Building blocks named as torch names them ({@code Linear.weight} of shape [out, in}, {@code
 * LayerNorm.weight}/{@code bias}, {@code Embedding.weight}), so that a model built from them has
 * Hugging Face's state-dict keys. DJL's own blocks name these {@code gamma}, {@code beta}, {@code
 * embedding}, which would not match a checkpoint.
 */
package dev.mhc.core.nn;
