package dev.mhc.core.lora;

import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.AdapterKinds;

/** LoRA, for {@link AdapterKinds}. */
public final class LoraKindSource implements AdapterKinds.Source {
    @Override
    public AdapterKind<?, ?> kind() {
        return Lora.kind();
    }
}
