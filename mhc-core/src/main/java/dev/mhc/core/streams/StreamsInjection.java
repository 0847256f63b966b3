package dev.mhc.core.streams;

import ai.djl.ndarray.NDArray;
import dev.mhc.core.module.CallScope;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.Selector;

/** One multi-stream injection: its settings, its target, and the streams of each forward call. */
final class StreamsInjection {

    /** What one forward call carries from a wrapped layer to the next. */
    static final class Call {
        int ran;
        NDArray streams;
        NDArray handedOn;
    }

    final StreamsConfig config;
    final Selector target;
    final CallScope<Call> scope;

    StreamsInjection(StreamsConfig config, Selector target, Module root) {
        this.config = config;
        this.target = target;
        this.scope = new CallScope<>(root, Call::new);
    }

    Call call(String layerPath) {
        return scope.current(() -> "hyper-connected layer \"" + layerPath + "\" ran outside a forward call of the"
                + " model it was injected into; call that model, which carries the streams from layer to layer");
    }
}
