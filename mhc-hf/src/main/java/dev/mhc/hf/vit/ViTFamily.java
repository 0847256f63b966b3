package dev.mhc.hf.vit;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;

/** The {@code "vit"} model type: its config and architectures, for the model registry. */
public final class ViTFamily implements FamilySource {

    public static final ModelFamily<ViTConfig> FAMILY =
            ModelFamily.builder("vit", ViTConfig.class)
                    .architecture("ViTModel", ModelKind.GENERAL, ViTModel::new)
                    .architecture(
                            "ViTForImageClassification",
                            ModelKind.IMAGE_CLASSIFICATION,
                            ViTForImageClassification::new)
                    .basePrefix(ViTForImageClassification.BASE_PREFIX)
                    .layerClass("ViTLayer")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public ViTFamily() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
