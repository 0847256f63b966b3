package dev.mhc.hf.registry;

import dev.mhc.hf.bert.BertFamily;
import dev.mhc.hf.gemma3.Gemma3Family;
import dev.mhc.hf.gpt2.GPT2Family;
import dev.mhc.hf.vit.ViTFamily;
import java.util.List;

/** The families the library ships, put into the global registry on first use. */
final class BuiltIns {

    static final List<ModelFamily<?>> FAMILIES = List.of(BertFamily.FAMILY, ViTFamily.FAMILY, GPT2Family.FAMILY, Gemma3Family.FAMILY);

    private BuiltIns() {}

    static ModelRegistry families(ModelRegistry registry) {
        FAMILIES.forEach(registry::register);
        return registry;
    }
}
