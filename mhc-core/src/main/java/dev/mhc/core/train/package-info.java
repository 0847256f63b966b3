/**
 * Fine-tuning: a seeded, repeatable loop on DJL's training API with parameter groups (the
 * adapters' recipe in {@link dev.mhc.core.train.ParamGroups}), AdamW, gradient guards, checkpoints
 * replaced as one unit and exact resume.
 */
package dev.mhc.core.train;
