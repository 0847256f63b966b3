package dev.mhc.hf.generate;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Picks the next token from one row of logits, as HF's logits processors and warpers do, in
 * HF's order: repetition penalty, temperature, top-k, top-p, then argmax or a draw.
 */
final class TokenSampler {

    private final GenerationConfig config;
    private final Random random;

    TokenSampler(GenerationConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    long next(float[] logits, List<Long> sequence) {
        float[] scores = logits.clone();
        if (config.repetitionPenalty() != 1) {
            float p = (float) config.repetitionPenalty();
            for (long token : sequence.stream().distinct().toList()) {
                int t = (int) token;
                scores[t] = scores[t] < 0 ? scores[t] * p : scores[t] / p;
            }
        }
        if (config.greedy()) {
            return argmax(scores);
        }
        // shifted by the largest score first: softmax is the same, and a tiny temperature cannot
        // overflow every score to infinity (which made the draw fail over to token 0)
        float max = scores[argmax(scores)];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (scores[i] - max) / (float) config.temperature();
        }
        if (config.topK() > 0 && config.topK() < scores.length) {
            float[] sorted = scores.clone();
            Arrays.sort(sorted);
            float kth = sorted[sorted.length - config.topK()];
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] < kth) {
                    scores[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        double[] probs = softmax(scores);
        if (config.topP() < 1) {
            keepNucleus(probs, config.topP());
        }
        double draw = random.nextDouble();
        double total = Arrays.stream(probs).sum();
        double acc = 0;
        for (int i = 0; i < probs.length; i++) {
            acc += probs[i] / total;
            if (draw < acc) {
                return i;
            }
        }
        return argmax(scores);
    }

    /** Zeroes the tokens outside the smallest set whose probability reaches {@code p}. */
    private static void keepNucleus(double[] probs, double p) {
        Integer[] order = new Integer[probs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        double acc = 0;
        boolean cut = false;
        for (int index : order) {
            if (cut) {
                probs[index] = 0;
            } else {
                acc += probs[index];
                cut = acc >= p;
            }
        }
    }

    private static double[] softmax(float[] scores) {
        float max = Float.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double[] out = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            out[i] = Math.exp(scores[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
