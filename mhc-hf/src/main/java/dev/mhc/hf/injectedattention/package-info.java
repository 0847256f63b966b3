/**
 * Injected attention at Gemma 3's global layers (the design seeds call it "Lyra"): each global
 * {@code Gemma3DecoderLayer} gets a second, gated attention pass that starts as a copy of its own
 * and at gate 0 leaves the model exactly as it was. An injection kind of the one adapter
 * lifecycle ({@link dev.mhc.core.adapter.Adapters}), so it injects, removes, saves and loads like
 * mHC and LoRA.
 */
package dev.mhc.hf.injectedattention;
