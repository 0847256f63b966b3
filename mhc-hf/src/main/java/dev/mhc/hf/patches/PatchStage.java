package dev.mhc.hf.patches;

/** When a patch runs: on the config before the model is built, or on the built model. */
public enum PatchStage {
    /** Receives the config and returns the config to build from (records are immutable). */
    PRE_INIT,
    /** Receives the built model block and mutates it in place (swaps layers, adds hooks). */
    POST_INIT
}
