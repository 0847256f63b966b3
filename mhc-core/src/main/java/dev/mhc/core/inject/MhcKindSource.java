package dev.mhc.core.inject;

import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.AdapterKinds;

/** History mixing, for {@link AdapterKinds}. */
public final class MhcKindSource implements AdapterKinds.Source {
    @Override
    public AdapterKind<?, ?> kind() {
        return Mhc.kind();
    }
}
