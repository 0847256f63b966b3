package dev.mhc.core.module;

import ai.djl.nn.Block;

/**
 * A block that wraps another and is transparent to paths: {@link ModuleTree} reports the wrapped
 * block, and everything inside it, at the wrapper's own path, so that a layer's parameter keys are
 * the same before and after wrapping (unlike PEFT, whose wrapped keys gain {@code .base_layer.}).
 * The wrapper's other children appear below that path ({@code query.lora_A}).
 */
public interface Wrapper extends Block {

    /** @return the block this wrapper runs and keeps untouched */
    Block wrapped();
}
