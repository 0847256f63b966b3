/**
 * LoRA as PEFT does it, on the adapter lifecycle: low-rank updates on the selected dense
 * projections, PEFT's file layout and keys, merge and unmerge.
 */
package dev.mhc.core.lora;
