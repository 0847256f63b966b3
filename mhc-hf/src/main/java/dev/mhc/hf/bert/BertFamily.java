package dev.mhc.hf.bert;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;

/** The {@code "bert"} model type: its config and architectures, for the model registry. */
public final class BertFamily implements FamilySource {

    public static final ModelFamily<BertConfig> FAMILY =
            ModelFamily.builder("bert", BertConfig.class)
                    .architecture("BertModel", ModelKind.GENERAL, BertModel::new)
                    .architecture(
                            "BertForSequenceClassification",
                            ModelKind.SEQUENCE_CLASSIFICATION,
                            BertForSequenceClassification::new)
                    .basePrefix(BertForSequenceClassification.BASE_PREFIX)
                    .layerClass("BertLayer")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public BertFamily() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
