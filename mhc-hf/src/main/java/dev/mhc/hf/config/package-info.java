/**
 * config.json as records: strict binding with HF's defaults ({@link dev.mhc.hf.config.HfConfigs}),
 * declarative overrides ({@code model.hidden_dropout_prob}) checked against the fields a family
 * binds, and the config views the rest of the library reads ({@link dev.mhc.hf.config.TextModelConfig}).
 */
package dev.mhc.hf.config;
