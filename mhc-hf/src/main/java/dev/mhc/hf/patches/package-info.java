/**
 * Named changes to a model, by model type: pre-init patches rewrite its config before it is
 * built, post-init patches change the built model (the built-in {@code mhc} patch injects
 * history mixing into the family's layers).
 */
package dev.mhc.hf.patches;
