package dev.mhc.hf.registry;

/**
 * Where the global registry finds families: each built-in family (and any a jar adds) is named in
 * {@code META-INF/services/dev.mhc.hf.registry.FamilySource} and loaded with {@link
 * java.util.ServiceLoader}, in file order, so the registry imports no family.
 */
public interface FamilySource {

    ModelFamily<?> family();
}
