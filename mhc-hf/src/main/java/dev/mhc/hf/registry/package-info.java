/**
 * Which family and class a config.json asks for: {@link dev.mhc.hf.registry.ModelRegistry} maps
 * {@code model_type} to a {@link dev.mhc.hf.registry.ModelFamily}, whose architectures build the
 * blocks. The javadoc of {@code ModelFamily} tells how to add one.
 */
package dev.mhc.hf.registry;
