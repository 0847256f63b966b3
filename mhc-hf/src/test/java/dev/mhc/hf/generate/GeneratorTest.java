package dev.mhc.hf.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generation on the tiny GPT-2: HF's greedy run, left-padded batches, sampling, stopping. */
class GeneratorTest {

    private final Golden golden = Golden.fixture("gpt2-tiny");
    private PretrainedModel model;
    private Generator generator;
    private long[] prompt;

    @BeforeEach
    void setUp() throws IOException {
        model = AutoModel.fromPretrained(golden.dir());
        generator = new Generator((CausalLanguageModel) model.block(), 511, null);
        try (NDManager manager = NDManager.newBaseManager()) {
            prompt = golden.input("prompt_ids", manager).toLongArray();
        }
    }

    @AfterEach
    void tearDown() {
        model.close();
    }

    private long[] hfContinuation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            long[] sequence = golden.output("generated_sequence", manager).toLongArray();
            return Arrays.copyOfRange(sequence, prompt.length, sequence.length);
        }
    }

    private long[] greedy(long[] ids) {
        return generator.generate(List.of(ids), GenerationConfig.greedy(8, Set.of()), null).get(0);
    }

    @Test
    void greedyDecodingEqualsHuggingFaces() {
        assertArrayEquals(hfContinuation(), greedy(prompt));
    }

    @Test
    void aLeftPaddedBatchGivesEachRowItsOwnContinuation() {
        long[] shorter = {7, 300, 42};
        List<long[]> batch = generator.generate(List.of(shorter, prompt), GenerationConfig.greedy(8, Set.of()), null);
        assertArrayEquals(greedy(shorter), batch.get(0));
        assertArrayEquals(hfContinuation(), batch.get(1));
    }

    @Test
    void withMhcTheCachedBatchStillEqualsSingleRows() {
        Mhc.builder().target("GPT2Block").maxHistory(3).epsilon(0.3).inject(model.block());
        long[] shorter = {7, 300, 42};
        List<long[]> batch = generator.generate(List.of(prompt, shorter), GenerationConfig.greedy(8, Set.of()), null);
        assertArrayEquals(greedy(prompt), batch.get(0));
        assertArrayEquals(greedy(shorter), batch.get(1));
    }

    @Test
    void samplingIsRepeatableWithASeedAndStreams() {
        GenerationConfig sampling = GenerationConfig.greedy(12, Set.of()).withSampling(1.5, 50, 0.95, 42);
        List<Long> streamed = new ArrayList<>();
        long[] first = generator.generate(List.of(prompt), sampling, (row, token) -> streamed.add(token)).get(0);
        assertArrayEquals(first, generator.generate(List.of(prompt), sampling, null).get(0));
        assertArrayEquals(first, streamed.stream().mapToLong(Long::longValue).toArray());
        long[] other = generator.generate(List.of(prompt), sampling.withSampling(1.5, 50, 0.95, 7), null).get(0);
        assertNotEquals(Arrays.toString(first), Arrays.toString(other));
        // top-k 1 leaves only the argmax: sampling collapses to greedy.
        assertArrayEquals(greedy(prompt), generator.generate(List.of(prompt),
                GenerationConfig.greedy(8, Set.of()).withSampling(0.7, 1, 1.0, 3), null).get(0));
    }

    @Test
    void stopsAtEosAndAtStopStrings() {
        long[] hf = hfContinuation();
        assertArrayEquals(new long[] {hf[0]},
                generator.generate(List.of(prompt), GenerationConfig.greedy(8, Set.of(hf[0])), null).get(0));
        int k = 1;
        while (hf[k] == hf[0]) {
            k++;
        }

        Generator withDecoder = new Generator((CausalLanguageModel) model.block(), 511,
                ids -> Arrays.stream(ids).mapToObj(id -> "<" + id + ">").collect(Collectors.joining()));
        GenerationConfig stop = GenerationConfig.greedy(8, Set.of()).withStopStrings(List.of("<" + hf[k] + ">"));
        assertEquals(k + 1, withDecoder.generate(List.of(prompt), stop, null).get(0).length);
        assertThrows(IllegalArgumentException.class, () -> generator.generate(List.of(prompt), stop, null));
    }

    @Test
    void repetitionPenaltyChangesAGreedyRunThatRepeats() {
        long[] plain = generator.generate(List.of(prompt), GenerationConfig.greedy(24, Set.of()), null).get(0);
        long[] penalised = generator.generate(List.of(prompt),
                GenerationConfig.greedy(24, Set.of()).withRepetitionPenalty(5.0), null).get(0);
        long distinctPlain = Arrays.stream(plain).distinct().count();
        long distinctPenalised = Arrays.stream(penalised).distinct().count();
        System.out.printf("distinct tokens in 24 greedy steps: %d plain, %d with penalty 5%n", distinctPlain, distinctPenalised);
        assertTrue(distinctPlain < plain.length, "the plain greedy run repeats tokens");
        assertTrue(distinctPenalised > distinctPlain, distinctPenalised + " distinct with the penalty, " + distinctPlain
                + " without");
    }

    /** HF's RepetitionPenaltyLogitsProcessor: seen tokens' positive scores divided by p, negative ones multiplied. */
    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOfSeenTokens() {
        GenerationConfig penalty2 = GenerationConfig.greedy(1, Set.of()).withRepetitionPenalty(2.0);
        GenerationConfig none = GenerationConfig.greedy(1, Set.of());
        float[] positive = {2.0f, -1.0f, 0.5f, 1.9f};  // penalised: 1.0, -2.0, 0.5, 1.9
        assertEquals(0, new TokenSampler(none).next(positive, List.of(0L, 1L)));
        assertEquals(3, new TokenSampler(penalty2).next(positive, List.of(0L, 1L)));
        float[] negative = {-0.3f, -0.5f};              // penalised: -0.6 (not -0.15), -0.5
        assertEquals(0, new TokenSampler(none).next(negative, List.of(0L)));
        assertEquals(1, new TokenSampler(penalty2).next(negative, List.of(0L)));
    }
}
