/**
 * A whole fine-tuning run in one YAML file ({@code mhc finetune --config run.yaml}): the records
 * it binds to ({@link dev.mhc.cli.config.RunConfig} and its sections, HF's snake_case keys, every
 * default filled in), and {@link dev.mhc.cli.config.RunConfigFiles}, which reads one strictly
 * (unknown keys with a did-you-mean, wrong types and out-of-range values refused with the key's
 * path) and writes the resolved one beside a run's outputs.
 */
package dev.mhc.cli.config;
