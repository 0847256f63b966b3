package dev.mhc.hf.generate;

import java.util.List;
import java.util.Set;

/**
 * How to pick tokens: temperature 0 is greedy; otherwise sampling after repetition penalty,
 * temperature, top-k and top-p, with a fixed seed for repeatable runs. Generation stops at
 * {@code maxNewTokens}, at an end-of-sequence token, or when the decoded text ends with a stop
 * string.
 */
public record GenerationConfig(
        int maxNewTokens,
        double temperature,
        int topK,
        double topP,
        double repetitionPenalty,
        long seed,
        Set<Long> eosTokenIds,
        List<String> stopStrings) {

    public GenerationConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
        stopStrings = List.copyOf(stopStrings);
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0 (1 = off), got " + repetitionPenalty);
        }
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping at {@code eosTokenIds}. */
    public static GenerationConfig greedy(int maxNewTokens, Set<Long> eosTokenIds) {
        return new GenerationConfig(maxNewTokens, 0, 0, 1, 1, 0, eosTokenIds, List.of());
    }

    public GenerationConfig withSampling(double temperature, int topK, double topP, long seed) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, eosTokenIds, stopStrings);
    }

    public GenerationConfig withRepetitionPenalty(double penalty) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, penalty, seed, eosTokenIds, stopStrings);
    }

    public GenerationConfig withStopStrings(List<String> strings) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, eosTokenIds, strings);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
