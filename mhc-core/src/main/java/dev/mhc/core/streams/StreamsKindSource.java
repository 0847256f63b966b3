package dev.mhc.core.streams;

import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.AdapterKinds;

/** Multi-stream hyper-connections, for {@link AdapterKinds}. */
public final class StreamsKindSource implements AdapterKinds.Source {
    @Override
    public AdapterKind<?, ?> kind() {
        return HyperConnections.kind();
    }
}
