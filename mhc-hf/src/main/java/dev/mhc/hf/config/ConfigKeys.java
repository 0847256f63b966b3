package dev.mhc.hf.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every config.json key accounted for. A key is either bound by the family's config record, or
 * declared here: <em>inert</em> (it changes nothing this library computes, with why), or
 * <em>refused unless</em> it holds one of the values the library computes as HF does (with what
 * it would change). Any other key is <em>unknown</em>: named in the load report, and refused
 * under strict config, because a key nobody read may change what the model computes.
 *
 * <p>{@link #COMMON} holds the keys of HF's {@code PretrainedConfig} that every family's file
 * may carry; a family adds its own with {@link Builder}.
 */
public final class ConfigKeys {

    /**
     * @param why what the key does in HF, and why that is (or is not) the same here
     * @param accepted for a refused-unless key, the values that compute as HF does (absent and
     *     null always do); empty for an inert key
     */
    public record Rule(String key, String why, List<JsonNode> accepted) {

        public boolean inert() {
            return accepted.isEmpty();
        }

        /** Null (or absence) always; numbers by value (1 and 1.0 are one value). */
        boolean accepts(JsonNode value) {
            if (inert() || value.isNull()) {
                return true;
            }
            for (JsonNode candidate : accepted) {
                if (candidate.equals(value)
                        || (candidate.isNumber() && value.isNumber() && candidate.doubleValue() == value.doubleValue())) {
                    return true;
                }
            }
            return false;
        }

        String acceptedValues() {
            return accepted.stream().allMatch(JsonNode::isNull) ? "only null or absent" : "accepted: " + accepted;
        }
    }

    private static final String GENERATION = "a generation default of transformers 4.x configs; mhc generate takes"
            + " its settings from its own flags";

    /** PretrainedConfig's keys (4.x and 5.x), the same for every family. */
    public static final ConfigKeys COMMON = builder()
            .inert("architectures", "picks the model class (read by AutoModel)")
            .inert("model_type", "picks the model family (read by AutoModel)")
            .inert("transformers_version", "provenance")
            .inert("_name_or_path", "provenance")
            .inert("_commit_hash", "provenance")
            .inert("dtype", "the dtype the weights were saved in; this library computes in float32 and widens"
                    + " 16-bit weights as it reads them")
            .inert("torch_dtype", "transformers 4.x's name of dtype")
            .inert("use_cache", "whether HF keeps a KV cache: speed, not values (mhc generate always keeps one)")
            .inert("output_attentions", "which outputs HF returns, not their values")
            .inert("output_hidden_states", "which outputs HF returns, not their values")
            .inert("return_dict", "the Python type of HF's outputs")
            .inert("torchscript", "a TorchScript export flag")
            .inert("initializer_range", "the spread of weights a checkpoint does not hold (new heads, random weights)")
            .inert("id2label", "class names")
            .inert("label2id", "class names")
            .inert("finetuning_task", "provenance")
            .inert("tokenizer_class", "which tokenizer class HF builds; this library reads tokenizer.json")
            .inert("prefix", "a text prefix for pipelines")
            .inert("task_specific_params", "pipeline settings")
            .inert("bos_token_id", "a token id; read where a family uses it")
            .inert("eos_token_id", "a token id; read where a family uses it")
            .inert("pad_token_id", "a token id; read where a family uses it")
            .inert("sep_token_id", "a token id")
            .inert("decoder_start_token_id", "a token id of encoder-decoder models")
            .inert("attn_implementation", "eager, sdpa or flash attention: one formula")
            .inert("_attn_implementation", "eager, sdpa or flash attention: one formula")
            .inert("_attn_implementation_autoset", "eager, sdpa or flash attention: one formula")
            .inert("gradient_checkpointing", "memory, not values")
            .inert("chunk_size_feed_forward", "HF computes the feed-forward in chunks: the same values")
            .inert("tie_encoder_decoder", "encoder-decoder models only")
            .inert("tf_legacy_loss", "a TensorFlow loss flag")
            .inert("use_bfloat16", "a TensorFlow/TPU flag")
            .inert("cross_attention_hidden_size", "used only with add_cross_attention")
            .inert("_from_model_config", "provenance")
            .generation("max_length", "min_length", "do_sample", "early_stopping", "num_beams", "num_beam_groups",
                    "diversity_penalty", "temperature", "top_k", "top_p", "typical_p", "repetition_penalty",
                    "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size", "bad_words_ids",
                    "num_return_sequences", "output_scores", "return_dict_in_generate", "forced_bos_token_id",
                    "forced_eos_token_id", "remove_invalid_values", "exponential_decay_length_penalty",
                    "suppress_tokens", "begin_suppress_tokens")
            .refusedUnless("is_encoder_decoder", "encoder-decoder models are not supported", false)
            .refusedUnless("add_cross_attention", "cross-attention layers are not supported", false)
            .refusedUnless("pruned_heads", "checkpoints with pruned attention heads are not supported",
                    Map.of())
            .refusedUnless("quantization_config", "quantized weights are not supported; give a float checkpoint")
            .refusedUnless("problem_type", "mhc trains classifiers with cross-entropy over one label per example",
                    "single_label_classification")
            .build();

    private final Map<String, Rule> rules;

    private ConfigKeys(Map<String, Rule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return these rules and {@code more}'s; a key in both takes {@code more}'s rule */
    public ConfigKeys with(ConfigKeys more) {
        Map<String, Rule> merged = new LinkedHashMap<>(rules);
        merged.putAll(more.rules);
        return new ConfigKeys(merged);
    }

    /** @return the rules by key, in declaration order */
    public Map<String, Rule> rules() {
        return rules;
    }

    /**
     * Checks a config tree against the record that binds it and these rules.
     *
     * @param config the record bound from {@code tree}, asked for its unread nested keys
     * @return the unknown keys, in file order (nested ones as dotted paths)
     * @throws ConfigException naming every refused key with its value and what it would change
     */
    public List<String> check(JsonNode tree, Class<?> configClass, Object config, String source) {
        Set<String> bound = boundKeys(configClass);
        List<String> unknown = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            Rule rule = rules.get(key);
            JsonNode value = tree.get(key);
            if (rule != null && !rule.accepts(value)) {
                refused.add(key + " = " + value + " (" + rule.why() + "; " + rule.acceptedValues() + ")");
            } else if (rule == null && !bound.contains(key)) {
                unknown.add(key);
            }
        }
        if (!refused.isEmpty()) {
            throw new ConfigException(source + ": settings that change what the model computes and that this"
                    + " library does not implement: " + String.join("; ", refused));
        }
        if (config instanceof NestedConfigKeys nested) {
            unknown.addAll(nested.unusedNestedKeys());
        }
        return List.copyOf(unknown);
    }

    /** The JSON names (and aliases) the record binds. */
    private static Set<String> boundKeys(Class<?> configClass) {
        BeanDescription description = HfConfigs.MAPPER.getDeserializationConfig()
                .introspect(HfConfigs.MAPPER.constructType(configClass));
        Set<String> keys = new LinkedHashSet<>(ConfigFields.of(configClass).keySet());
        for (BeanPropertyDefinition property : description.findProperties()) {
            for (PropertyName alias : property.findAliases()) {
                keys.add(alias.getSimpleName());
            }
        }
        return keys;
    }

    /** Declares keys in order; a key declared twice is a mistake in the declaration. */
    public static final class Builder {
        private final Map<String, Rule> rules = new LinkedHashMap<>();

        private Builder() {}

        /** A key that changes nothing this library computes. */
        public Builder inert(String key, String why) {
            return add(new Rule(key, why, List.of()));
        }

        /**
         * A key whose other values would change the computation in a way this library does not
         * implement; with no values given, any non-null value is refused.
         */
        public Builder refusedUnless(String key, String why, Object... accepted) {
            List<JsonNode> values = new ArrayList<>();
            for (Object value : accepted) {
                values.add(HfConfigs.MAPPER.valueToTree(value));
            }
            if (values.isEmpty()) {
                values.add(HfConfigs.MAPPER.nullNode()); // nothing but null (or absence) is accepted
            }
            return add(new Rule(key, why, List.copyOf(values)));
        }

        private Builder generation(String... keys) {
            for (String key : keys) {
                inert(key, GENERATION);
            }
            return this;
        }

        private Builder add(Rule rule) {
            if (rules.putIfAbsent(rule.key(), rule) != null) {
                throw new IllegalStateException("config key " + rule.key() + " is declared twice");
            }
            return this;
        }

        public ConfigKeys build() {
            return new ConfigKeys(new LinkedHashMap<>(rules));
        }
    }
}
