package dev.mhc.hf.bert;

import dev.mhc.hf.config.ConfigKeys;
import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;

/** The {@code "bert"} model type: its config and architectures, for the model registry. */
public final class BertFamily implements FamilySource {

    /** The keys of BERT configs that BertConfig does not bind. */
    static final ConfigKeys CONFIG_KEYS = ConfigKeys.builder()
            .refusedUnless("is_decoder", "BERT as a causal decoder is not supported", false)
            .inert("tie_word_embeddings", "ties the masked-LM head, which BertModel and the classifier do not have")
            .inert("directionality", "a tokenizer hint of the original BERT configs")
            .inert("pooler_fc_size", "from the original TF BERT configs; HF's BertModel does not read it")
            .inert("pooler_num_attention_heads", "from the original TF BERT configs; HF's BertModel does not read it")
            .inert("pooler_num_fc_layers", "from the original TF BERT configs; HF's BertModel does not read it")
            .inert("pooler_size_per_head", "from the original TF BERT configs; HF's BertModel does not read it")
            .inert("pooler_type", "from the original TF BERT configs; HF's BertModel does not read it")
            .build();

    public static final ModelFamily<BertConfig> FAMILY =
            ModelFamily.builder("bert", BertConfig.class)
                    .architecture("BertModel", ModelKind.GENERAL, BertModel::new)
                    .architecture(
                            "BertForSequenceClassification",
                            ModelKind.SEQUENCE_CLASSIFICATION,
                            BertForSequenceClassification::new)
                    .basePrefix(BertForSequenceClassification.BASE_PREFIX)
                    .layerClass("BertLayer")
                    .configKeys(CONFIG_KEYS)
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public BertFamily() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
