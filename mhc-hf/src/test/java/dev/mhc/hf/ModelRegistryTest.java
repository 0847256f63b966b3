package dev.mhc.hf;

import dev.mhc.hf.registry.Architecture;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.registry.ModelRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class ModelRegistryTest {

    static ModelFamily<ToyConfig> toyFamily(String modelType) {
        return ModelFamily.builder(modelType, ToyConfig.class)
                .architecture("ToyModel", ModelKind.GENERAL, ToyModel::new)
                .architecture(
                        "ToyForSequenceClassification",
                        ModelKind.SEQUENCE_CLASSIFICATION,
                        config -> new LambdaBlock(x -> x, "ToyForSequenceClassification"))
                .build();
    }

    @Test
    void registersAndFindsFamiliesByModelType() {
        ModelRegistry registry = new ModelRegistry();
        ModelFamily<ToyConfig> bert = toyFamily("bert");
        registry.register(bert);
        registry.register(toyFamily("vit"));

        assertSame(bert, registry.family("bert"));
        assertEquals(List.of("bert", "vit"), List.copyOf(registry.modelTypes()));
        assertEquals(ToyConfig.class, registry.family("bert").configClass());
    }

    @Test
    void unknownModelTypeListsTheRegisteredOnes() {
        ModelRegistry registry = new ModelRegistry();
        registry.register(toyFamily("vit"));
        registry.register(toyFamily("bert"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.family("bart"));
        assertTrue(
                e.getMessage().startsWith("unknown model_type \"bart\"; registered: [bert, vit]."),
                e.getMessage());
        assertTrue(e.getMessage().contains("ModelRegistry.register"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.family(null));
    }

    @Test
    void reRegisteringWarnsAndOverwrites() {
        ModelRegistry registry = new ModelRegistry();
        registry.register(toyFamily("bert"));
        ModelFamily<ToyConfig> replacement = toyFamily("bert");
        try (CapturedStderr err = new CapturedStderr()) {
            registry.register(replacement);
            assertTrue(err.text().contains("WARN"), err.text());
            assertTrue(
                    err.text().contains("model type \"bert\" was already registered"), err.text());
        }
        assertSame(replacement, registry.family("bert"));
        assertEquals(Set.of("bert"), registry.modelTypes());
    }

    @Test
    void globalIsOneSharedInstanceAndSeparateFromNewOnes() {
        assertSame(ModelRegistry.global(), ModelRegistry.global());
        ModelRegistry fresh = new ModelRegistry();
        fresh.register(toyFamily("only_in_fresh"));
        assertTrue(!ModelRegistry.global().modelTypes().contains("only_in_fresh"));
    }

    @Test
    void modelTypesIsASnapshotThatCannotBeModified() {
        ModelRegistry registry = new ModelRegistry();
        registry.register(toyFamily("bert"));
        Set<String> types = registry.modelTypes();
        registry.register(toyFamily("vit"));
        assertEquals(Set.of("bert"), types);
        assertThrows(UnsupportedOperationException.class, () -> types.add("x"));
    }

    @Test
    void registrationIsSafeFromManyThreads() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String type = "type" + i;
            futures.add(
                    pool.submit(
                            () -> {
                                start.await();
                                registry.register(toyFamily(type));
                                return registry.family(type);
                            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(64, registry.modelTypes().size());
    }

    @Test
    void resolvesTheNamedArchitecture() {
        ModelFamily<ToyConfig> family = toyFamily("bert");
        Architecture<ToyConfig> named = family.resolve(List.of("ToyForSequenceClassification"));
        assertEquals("ToyForSequenceClassification", named.name());
        assertEquals(ModelKind.SEQUENCE_CLASSIFICATION, named.kind());
        assertSame(named, family.architecture("ToyForSequenceClassification"));
        // HF reads architectures[0]; later entries do not matter.
        assertEquals("ToyModel", family.resolve(List.of("ToyModel", "Whatever")).name());
    }

    @Test
    void absentOrEmptyArchitecturesPickTheDefault() {
        ModelFamily<ToyConfig> family = toyFamily("bert");
        assertEquals("ToyModel", family.resolve(null).name());
        assertEquals("ToyModel", family.resolve(List.of()).name());
        assertEquals("ToyModel", family.defaultArchitecture().name());

        ModelFamily<ToyConfig> withDefault =
                ModelFamily.builder("bert", ToyConfig.class)
                        .architecture("ToyModel", ModelKind.GENERAL, ToyModel::new)
                        .architecture("ToyForCausalLM", ModelKind.CAUSAL_LM, ToyModel::new)
                        .defaultArchitecture("ToyForCausalLM")
                        .build();
        assertEquals("ToyForCausalLM", withDefault.resolve(null).name());
    }

    @Test
    void unknownArchitectureListsTheFamilysArchitectures() {
        ModelFamily<ToyConfig> family = toyFamily("bert");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> family.resolve(List.of("ToyForMaskedLM")));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "model type \"bert\" has no architecture \"ToyForMaskedLM\";"
                                        + " registered: [ToyModel, ToyForSequenceClassification]."),
                e.getMessage());
        assertTrue(e.getMessage().contains("\"architectures\" in config.json"), e.getMessage());
    }

    @Test
    void anArchitectureBuildsItsBlockFromTheConfig() {
        ModelFamily<ToyConfig> family = toyFamily("bert");
        Block block = family.resolve(null).create(ToyConfig.of(8, 3, 2));
        ToyModel model = assertInstanceOf(ToyModel.class, block);
        assertEquals(3, model.layers().size());
    }

    @Test
    void aFactoryReturningNullIsNamed() {
        ModelFamily<ToyConfig> family =
                ModelFamily.builder("bert", ToyConfig.class)
                        .architecture("Broken", ModelKind.GENERAL, config -> null)
                        .build();
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> family.resolve(null).create(ToyConfig.of(8, 1, 2)));
        assertTrue(e.getMessage().contains("architecture Broken returned null"), e.getMessage());
    }

    @Test
    void builderRejectsFamiliesThatCannotResolve() {
        IllegalStateException none =
                assertThrows(
                        IllegalStateException.class,
                        () -> ModelFamily.builder("bert", ToyConfig.class).build());
        assertTrue(none.getMessage().contains("has no architecture"), none.getMessage());

        IllegalArgumentException twice =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ModelFamily.builder("bert", ToyConfig.class)
                                        .architecture("ToyModel", ModelKind.GENERAL, ToyModel::new)
                                        .architecture(
                                                "ToyModel", ModelKind.GENERAL, ToyModel::new));
        assertTrue(twice.getMessage().contains("added twice"), twice.getMessage());

        IllegalStateException badDefault =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                ModelFamily.builder("bert", ToyConfig.class)
                                        .architecture("ToyModel", ModelKind.GENERAL, ToyModel::new)
                                        .defaultArchitecture("Nope")
                                        .build());
        assertTrue(
                badDefault.getMessage().contains("\"Nope\"")
                        && badDefault.getMessage().contains("[ToyModel]"),
                badDefault.getMessage());

        assertThrows(
                IllegalArgumentException.class, () -> ModelFamily.builder(" ", ToyConfig.class));
    }

    @Test
    void modelKindsCoverTheSeedsGeneralTypes() {
        assertEquals(
                List.of(
                        "CAUSAL_LM",
                        "MASKED_LM",
                        "SEQUENCE_CLASSIFICATION",
                        "IMAGE_CLASSIFICATION",
                        "GENERAL"),
                Arrays.stream(ModelKind.values()).map(Enum::name).toList());
    }

    /** The built-in families come from the service file, in its order. */
    @Test
    void theGlobalRegistryHoldsTheBuiltInFamilies() {
        assertTrue(List.copyOf(ModelRegistry.global().modelTypes()).containsAll(
                List.of("bert", "vit", "gpt2", "gemma3_text")), ModelRegistry.global().modelTypes().toString());
    }
}
