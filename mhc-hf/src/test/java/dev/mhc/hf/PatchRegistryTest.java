package dev.mhc.hf;

import dev.mhc.hf.patches.PatchOptions;
import dev.mhc.hf.patches.PatchRegistry;
import dev.mhc.hf.patches.PatchStage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

class PatchRegistryTest {

    private final PatchRegistry registry = new PatchRegistry();

    private static ToyModel model() {
        return new ToyModel(ToyConfig.of(8, 2, 2));
    }

    @Test
    void aPostInitPatchMutatesTheModel() {
        Block replacement = new LambdaBlock(x -> x, "Patched");
        registry.registerPostInit(
                "bert",
                "mhc",
                Set.of(),
                (m, opts) -> ((ToyModel) m).layers().replaceChild("1", replacement));
        ToyModel model = model();
        registry.applyPostInit("bert", "mhc", model);
        assertSame(replacement, model.layers().get(1));
        assertTrue(registry.isApplied(model, "bert", "mhc"));
        assertEquals(Optional.of(PatchStage.POST_INIT), registry.stage("bert", "mhc"));
    }

    @Test
    void aPreInitPatchReturnsTheChangedConfig() {
        registry.registerPreInit(
                "bert",
                "shallow",
                ToyConfig.class,
                Set.of("layers"),
                (config, opts) -> config.withLayers(opts.getInt("layers", 1)));
        ToyConfig original = ToyConfig.of(8, 12, 2);
        ToyConfig patched = registry.applyPreInit("bert", "shallow", original, Map.of("layers", 3));
        assertEquals(3, patched.numHiddenLayers());
        assertEquals(12, original.numHiddenLayers());
        assertEquals(Optional.of(PatchStage.PRE_INIT), registry.stage("bert", "shallow"));
    }

    @Test
    void onlyDeclaredOptionsArePassedAndMissingOnesTakeThePatchsDefault() {
        AtomicReference<PatchOptions> seen = new AtomicReference<>();
        registry.registerPostInit(
                "bert", "mhc", Set.of("max_history", "gate"), (m, opts) -> seen.set(opts));
        registry.applyPostInit(
                "bert", "mhc", model(), Map.of("max_history", 4, "use_liger", true, "rope", false));

        PatchOptions options = seen.get();
        assertEquals(Map.of("max_history", 4), options.asMap());
        assertEquals(4, options.getInt("max_history", 2));
        assertFalse(options.has("gate"));
        assertTrue(options.getBoolean("gate", true));
        assertEquals(Set.of("gate", "max_history"), options.declared());
    }

    @Test
    void applyingAPostInitPatchTwiceToTheSameModelRunsItOnce() {
        AtomicInteger runs = new AtomicInteger();
        registry.registerPostInit("bert", "mhc", Set.of(), (m, opts) -> runs.incrementAndGet());
        ToyModel model = model();
        registry.applyPostInit("bert", "mhc", model);
        registry.applyPostInit("bert", "mhc", model);
        assertEquals(1, runs.get());

        ToyModel other = model(); // another target is patched on its own
        registry.applyPostInit("bert", "mhc", other);
        assertEquals(2, runs.get());
    }

    @Test
    void aSecondApplicationWithOtherOptionsIsSkippedWithAWarning() {
        AtomicInteger runs = new AtomicInteger();
        registry.registerPostInit(
                "bert", "mhc", Set.of("max_history"), (m, opts) -> runs.incrementAndGet());
        ToyModel model = model();
        registry.applyPostInit("bert", "mhc", model, Map.of("max_history", 4));
        try (CapturedStderr err = new CapturedStderr()) {
            registry.applyPostInit("bert", "mhc", model, Map.of("max_history", 8));
            assertTrue(err.text().contains("WARN"), err.text());
            assertTrue(
                    err.text()
                            .contains(
                                    "already applied to this target with options {max_history=4};"
                                        + " the new application with {max_history=8} is skipped"),
                    err.text());
        }
        assertEquals(1, runs.get());
    }

    @Test
    void applyingAPreInitPatchTwiceIsIdempotent() {
        AtomicInteger runs = new AtomicInteger();
        registry.registerPreInit(
                "bert",
                "deeper",
                ToyConfig.class,
                Set.of(),
                (config, opts) -> {
                    runs.incrementAndGet();
                    return config.withLayers(config.numHiddenLayers() + 1);
                });
        ToyConfig original = ToyConfig.of(8, 2, 2);
        ToyConfig once = registry.applyPreInit("bert", "deeper", original);
        ToyConfig onResult = registry.applyPreInit("bert", "deeper", once);
        ToyConfig onOriginal = registry.applyPreInit("bert", "deeper", original);

        assertEquals(3, once.numHiddenLayers());
        assertSame(once, onResult);
        assertSame(once, onOriginal);
        assertEquals(1, runs.get());

        // Tracking is by identity: an equal but distinct record is another target.
        ToyConfig equalCopy = ToyConfig.of(8, 2, 2);
        assertEquals(original, equalCopy);
        assertNotSame(once, registry.applyPreInit("bert", "deeper", equalCopy));
        assertEquals(2, runs.get());
    }

    @Test
    void aPreInitPatchReturningItsInputIsRecorded() {
        AtomicInteger runs = new AtomicInteger();
        registry.registerPreInit(
                "bert",
                "noop",
                ToyConfig.class,
                Set.of(),
                (config, opts) -> {
                    runs.incrementAndGet();
                    return config;
                });
        ToyConfig config = ToyConfig.of(8, 2, 2);
        assertSame(config, registry.applyPreInit("bert", "noop", config));
        assertSame(config, registry.applyPreInit("bert", "noop", config));
        assertEquals(1, runs.get());
    }

    @Test
    void trackingIsWeakSoPatchedModelsCanBeCollected() throws Exception {
        registry.registerPostInit("bert", "mhc", Set.of(), (m, opts) -> {});
        ToyModel model = model();
        registry.applyPostInit("bert", "mhc", model);
        WeakReference<ToyModel> ref = new WeakReference<>(model);
        model = null;
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the registry must not keep a patched model alive");
        // Later applications expunge the dead entry and still work.
        registry.applyPostInit("bert", "mhc", model());
    }

    @Test
    void aPatchThatFailsIsNotRecordedAsApplied() {
        AtomicInteger runs = new AtomicInteger();
        registry.registerPostInit(
                "bert",
                "mhc",
                Set.of(),
                (m, opts) -> {
                    if (runs.incrementAndGet() == 1) {
                        throw new IllegalStateException("first run fails");
                    }
                });
        ToyModel model = model();
        assertThrows(
                IllegalStateException.class, () -> registry.applyPostInit("bert", "mhc", model));
        assertFalse(registry.isApplied(model, "bert", "mhc"));
        registry.applyPostInit("bert", "mhc", model);
        assertEquals(2, runs.get());
        assertTrue(registry.isApplied(model, "bert", "mhc"));
    }

    @Test
    void concurrentApplicationsToOneModelRunThePatchOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        registry.registerPostInit("bert", "mhc", Set.of(), (m, opts) -> runs.incrementAndGet());
        ToyModel model = model();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            futures.add(pool.submit(() -> registry.applyPostInit("bert", "mhc", model)));
        }
        for (Future<?> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(1, runs.get());
    }

    @Test
    void anUnknownPairNamesWhatIsRegistered() {
        registry.registerPostInit("gpt2", "mhc", Set.of(), (m, opts) -> {});
        registry.registerPostInit("bert", "mhc", Set.of(), (m, opts) -> {});
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> registry.applyPostInit("bert", "liger", model()));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "no patch \"liger\" for model type \"bert\"; registered:"
                                        + " [bert/mhc, gpt2/mhc]."),
                e.getMessage());
        assertTrue(e.getMessage().contains("registerPreInit / registerPostInit"), e.getMessage());
        assertEquals(Set.of("bert/mhc", "gpt2/mhc"), registry.registered());
        assertEquals(Optional.empty(), registry.stage("bert", "liger"));
        assertThrows(
                IllegalArgumentException.class,
                () -> registry.applyPreInit("vit", "mhc", ToyConfig.of(8, 1, 2)));
    }

    @Test
    void reRegisteringAPairWarnsAndOverwrites() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        registry.registerPostInit("bert", "mhc", Set.of(), (m, opts) -> first.incrementAndGet());
        try (CapturedStderr err = new CapturedStderr()) {
            registry.registerPostInit(
                    "bert", "mhc", Set.of(), (m, opts) -> second.incrementAndGet());
            assertTrue(err.text().contains("WARN"), err.text());
            assertTrue(
                    err.text()
                            .contains(
                                    "patch \"mhc\" for model type \"bert\" was already registered"
                                        + " (POST_INIT); the new POST_INIT patch replaces it"),
                    err.text());
        }
        registry.applyPostInit("bert", "mhc", model());
        assertEquals(0, first.get());
        assertEquals(1, second.get());
    }

    @Test
    void applyingAtTheWrongStageSaysWhichStageThePatchIs() {
        registry.registerPostInit("bert", "mhc", Set.of(), (m, opts) -> {});
        registry.registerPreInit("bert", "shallow", ToyConfig.class, Set.of(), (c, opts) -> c);
        IllegalArgumentException post =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> registry.applyPreInit("bert", "mhc", ToyConfig.of(8, 1, 2)));
        assertEquals(
                "patch \"mhc\" for model type \"bert\" is a POST_INIT patch; apply it to the built"
                        + " model with applyPostInit",
                post.getMessage());
        IllegalArgumentException pre =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> registry.applyPostInit("bert", "shallow", model()));
        assertEquals(
                "patch \"shallow\" for model type \"bert\" is a PRE_INIT patch; apply it to the"
                        + " config with applyPreInit before building the model",
                pre.getMessage());
    }

    @Test
    void aPreInitPatchChecksTheConfigClass() {
        registry.registerPreInit("bert", "shallow", ToyConfig.class, Set.of(), (c, opts) -> c);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> registry.applyPreInit("bert", "shallow", new PlainConfig(8)));
        assertEquals(
                "patch \"shallow\" for model type \"bert\" expects a ToyConfig, got a PlainConfig;"
                        + " pass the config of model type \"bert\"",
                e.getMessage());
    }

    @Test
    void aPreInitPatchReturningNullIsNamed() {
        registry.registerPreInit("bert", "broken", ToyConfig.class, Set.of(), (c, opts) -> null);
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> registry.applyPreInit("bert", "broken", ToyConfig.of(8, 1, 2)));
        assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    }

    @Test
    void namesAreChecked() {
        assertThrows(
                IllegalArgumentException.class,
                () -> registry.registerPostInit("bert/x", "mhc", Set.of(), (m, o) -> {}));
        assertThrows(
                IllegalArgumentException.class,
                () -> registry.registerPostInit("bert", " ", Set.of(), (m, o) -> {}));
    }

    @Test
    void globalIsOneSharedInstance() {
        assertSame(PatchRegistry.global(), PatchRegistry.global());
        assertNotSame(PatchRegistry.global(), registry);
    }
}
