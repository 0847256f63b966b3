package dev.mhc.hf.injectedattention;

import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.AdapterKinds;

/** Gemma 3's injected attention, for {@link AdapterKinds}. */
public final class InjectedAttentionKindSource implements AdapterKinds.Source {
    @Override
    public AdapterKind<?, ?> kind() {
        return InjectedAttention.kind();
    }
}
