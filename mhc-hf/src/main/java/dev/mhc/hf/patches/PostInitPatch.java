package dev.mhc.hf.patches;

import ai.djl.nn.Block;

/** A patch on a built model: it mutates the block tree in place (replaces layers, adds hooks). */
@FunctionalInterface
public interface PostInitPatch {

    void apply(Block model, PatchOptions options);
}
