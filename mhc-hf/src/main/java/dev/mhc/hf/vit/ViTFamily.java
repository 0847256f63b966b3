package dev.mhc.hf.vit;

import dev.mhc.hf.config.ConfigKeys;
import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;

/** The {@code "vit"} model type: its config and architectures, for the model registry. */
public final class ViTFamily implements FamilySource {

    /** The keys of ViT configs that ViTConfig does not bind. */
    static final ConfigKeys CONFIG_KEYS = ConfigKeys.builder()
            .inert("encoder_stride", "read only by ViTForMaskedImageModeling")
            .build();

    public static final ModelFamily<ViTConfig> FAMILY =
            ModelFamily.builder("vit", ViTConfig.class)
                    .architecture("ViTModel", ModelKind.GENERAL, ViTModel::new)
                    .architecture(
                            "ViTForImageClassification",
                            ModelKind.IMAGE_CLASSIFICATION,
                            ViTForImageClassification::new)
                    .basePrefix(ViTForImageClassification.BASE_PREFIX)
                    .layerClass("ViTLayer")
                    .configKeys(CONFIG_KEYS)
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public ViTFamily() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
