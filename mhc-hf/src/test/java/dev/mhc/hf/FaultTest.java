package dev.mhc.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.generate.CausalLanguageModel;
import dev.mhc.hf.generate.GenerationConfig;
import dev.mhc.hf.generate.Generator;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults of scale: many threads on one injected model, and thousands of calls in one process.
 * Tagged {@code fault}: {@code mvn verify} runs them, {@code -Pfast} skips them. Each prints its
 * figures (docs/reliability.md quotes them).
 */
@Tag("fault")
class FaultTest {

    private static final int THREADS = 8;
    private static final int CALLS = 500;

    /** 8 threads x 500 calls, each call's result equal to the same call made alone, in order. */
    private static <T> void concurrentEqualsSequential(IntFunction<T> call, java.util.function.BiConsumer<T, T> same)
            throws Exception {
        List<T> sequential = new ArrayList<>();
        for (int i = 0; i < THREADS * CALLS; i++) {
            sequential.add(call.apply(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<T>>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(pool.submit(() -> {
                    List<T> out = new ArrayList<>();
                    for (int c = 0; c < CALLS; c++) {
                        out.add(call.apply(thread * CALLS + c));
                    }
                    return out;
                }));
            }
            for (int t = 0; t < THREADS; t++) {
                List<T> concurrent = threads.get(t).get();
                for (int c = 0; c < CALLS; c++) {
                    same.accept(sequential.get(t * CALLS + c), concurrent.get(c));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[][] ids(int call, long vocab) {
        int length = 3 + call % 9;
        long[][] ids = new long[2][length];
        for (int i = 0; i < length; i++) {
            ids[0][i] = (call * 31L + i * 7L) % vocab;
            ids[1][i] = (call * 17L + i * 13L + 5) % vocab;
        }
        return ids;
    }

    @Test
    void eightThreadsForwardingOneInjectedModelGetTheSequentialResults() throws Exception {
        try (PretrainedModel bert = AutoModel.fromPretrained(Golden.fixture("bert-tiny").dir())) {
            Mhc.builder().target("BertLayer").maxHistory(3).epsilon(0.3).inject(bert.block());
            concurrentEqualsSequential(call -> {
                try (NDManager manager = bert.manager().newSubManager()) {
                    return bert.predict(new NDList(manager.create(ids(call, 99)))).head().toFloatArray();
                }
            }, (expected, actual) -> assertArrayEquals(expected, actual));
            System.out.printf(Locale.ROOT, "fault: %d threads x %d forwards of the mHC BERT equal sequential%n",
                    THREADS, CALLS);
        }
    }

    @Test
    void eightThreadsGeneratingWithOneInjectedModelGetTheSequentialTokens() throws Exception {
        try (PretrainedModel gpt2 = AutoModel.fromPretrained(Golden.fixture("gpt2-tiny").dir())) {
            Mhc.builder().target("GPT2Block").maxHistory(3).epsilon(0.3).inject(gpt2.block());
            Generator generator = new Generator((CausalLanguageModel) gpt2.block(), 0, null);
            GenerationConfig greedy = GenerationConfig.greedy(4, Set.of());
            concurrentEqualsSequential(call -> generator.generate(List.of(ids(call, 500)[0]), greedy, null).get(0),
                    (expected, actual) -> assertArrayEquals(expected, actual));
            System.out.printf(Locale.ROOT, "fault: %d threads x %d greedy generations (4 tokens, KV cache) equal"
                    + " sequential%n", THREADS, CALLS);
        }
    }

    /**
     * 5000 calls in a child JVM whose heap is fixed and touched up front (so resident memory moves
     * only with native memory): live arrays stay at the same count, and resident memory at the end
     * is no higher than after a warm-up of 1000 calls, give or take the allocator's own swings.
     */
    @Test
    void fiveThousandForwardsLeaveNoArraysAndNoGrowingMemory() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), ForwardLoop.class.getName(), "5000", "250")
                .redirectErrorStream(true).start();
        List<String> lines = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().toList();
        assertEquals(0, child.waitFor(), String.join("\n", lines));
        List<long[]> samples = lines.stream().filter(l -> l.startsWith("sample ")).map(l -> java.util.Arrays
                .stream(l.substring(7).split(" ")).mapToLong(Long::parseLong).toArray()).toList();
        assertEquals(20, samples.size(), String.join("\n", lines));
        long[] warm = samples.get(3); // after 1000 calls
        for (long[] sample : samples) {
            assertEquals(warm[1], sample[1], "live arrays after " + sample[0] + " calls");
        }
        // The least of the last three samples: the allocator returns memory in steps of a few MB.
        long end = samples.subList(17, 20).stream().mapToLong(sample -> sample[2]).min().orElseThrow();
        long growthKb = end - warm[2];
        System.out.printf(Locale.ROOT, "fault: 5000 forwards: %d live arrays after every 250 calls; resident memory"
                + " %.1f MB after 1000 calls, %.1f MB at the end (%+.1f MB)%n", warm[1], warm[2] / 1024.0,
                end / 1024.0, growthKb / 1024.0);
        // The allocator alone moves resident memory by up to 10 MB either way (seen over 20,000 calls), so the
        // bound is 24 MB over 4000 calls: a native leak of 6 kB per call (two hidden states here) or more fails.
        // Leaks of arrays DJL tracks are caught exactly by the live-array count above.
        assertTrue(growthKb < 24 * 1024, "resident memory grew by " + growthKb + " kB after warm-up: "
                + samples.stream().map(sample -> sample[0] + ":" + sample[2]).toList());
    }

    /** The child of the memory test: prints "sample CALLS LIVE_ARRAYS RSS_KB" every {@code every} calls. */
    static final class ForwardLoop {
        public static void main(String[] args) throws Exception {
            int total = Integer.parseInt(args[0]);
            int every = Integer.parseInt(args[1]);
            try (PretrainedModel bert = AutoModel.fromPretrained(Golden.fixture("bert-tiny").dir())) {
                Mhc.builder().target("BertLayer").maxHistory(3).epsilon(0.3).inject(bert.block());
                for (int call = 1; call <= total; call++) {
                    try (NDManager manager = bert.manager().newSubManager()) {
                        bert.predict(new NDList(manager.create(ids(call, 99)))).head().toFloatArray();
                    }
                    if (call % every == 0) {
                        System.out.println("sample " + call + " " + bert.manager().getManagedArrays().size() + " "
                                + residentKb());
                    }
                }
            }
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
