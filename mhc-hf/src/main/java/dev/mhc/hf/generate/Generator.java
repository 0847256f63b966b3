package dev.mhc.hf.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.mhc.core.module.ModuleTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Autoregressive generation with a KV cache: the prompts run once (a batch is left-padded, with
 * HF's position ids from the attention mask), then one token per step. Works the same with mHC
 * injected, since each step is one call of the model and history mixing runs across its layers.
 */
public final class Generator {

    private final CausalLanguageModel model;
    private final long padTokenId;
    private final Function<long[], String> decoder;

    /**
     * @param padTokenId fills the left of shorter prompts (masked out) and finished rows
     * @param decoder turns token ids into text, for stop strings; {@code null} if none are used
     */
    public Generator(CausalLanguageModel model, long padTokenId, Function<long[], String> decoder) {
        this.model = model;
        this.padTokenId = padTokenId;
        this.decoder = decoder;
    }

    /** @return the new tokens of each prompt (without the prompt, up to and including EOS) */
    public List<long[]> generate(List<long[]> prompts, GenerationConfig config, TokenListener listener) {
        if (prompts.isEmpty() || prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token");
        }
        if (!config.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a decoder; pass the tokenizer's decode");
        }
        int rows = prompts.size();
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        long[][] ids = new long[rows][width];
        long[][] positions = new long[rows][width];
        List<long[]> mask = new ArrayList<>();
        List<List<Long>> sequences = new ArrayList<>();
        List<List<Long>> generated = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            long[] prompt = prompts.get(r);
            int offset = width - prompt.length;
            long[] rowMask = new long[width];
            Arrays.fill(ids[r], padTokenId);
            for (int i = 0; i < prompt.length; i++) {
                ids[r][offset + i] = prompt[i];
                rowMask[offset + i] = 1;
                positions[r][offset + i] = i;
            }
            mask.add(rowMask);
            List<Long> sequence = new ArrayList<>();
            Arrays.stream(prompt).forEach(sequence::add);
            sequences.add(sequence);
            generated.add(new ArrayList<>());
        }
        boolean[] finished = new boolean[rows];
        TokenSampler sampler = new TokenSampler(config);
        try (NDManager manager = NDManager.newBaseManager(device());
                KvCache cache = new KvCache(manager, model.cacheWindows())) {
            for (int step = 0; step < config.maxNewTokens(); step++) {
                float[][] logits = lastLogits(manager, cache, ids, mask, positions);
                long[][] nextIds = new long[rows][1];
                long[][] nextPositions = new long[rows][1];
                for (int r = 0; r < rows; r++) {
                    long token = padTokenId;
                    if (!finished[r]) {
                        token = sampler.next(logits[r], sequences.get(r));
                        sequences.get(r).add(token);
                        generated.get(r).add(token);
                        if (listener != null) {
                            listener.onToken(r, token);
                        }
                        finished[r] = config.eosTokenIds().contains(token) || hitsStop(generated.get(r), config);
                    }
                    nextIds[r][0] = token;
                    nextPositions[r][0] = positions[r][positions[r].length - 1] + 1;
                    long[] grown = Arrays.copyOf(mask.get(r), mask.get(r).length + 1);
                    grown[grown.length - 1] = 1;
                    mask.set(r, grown);
                }
                if (allTrue(finished)) {
                    break;
                }
                ids = nextIds;
                positions = nextPositions;
            }
        }
        List<long[]> out = new ArrayList<>();
        for (List<Long> tokens : generated) {
            out.add(tokens.stream().mapToLong(Long::longValue).toArray());
        }
        return out;
    }

    private float[][] lastLogits(
            NDManager manager, KvCache cache, long[][] ids, List<long[]> mask, long[][] positions) {
        try (NDManager step = manager.newSubManager()) {
            NDList inputs = new NDList(
                    step.create(ids), step.create(mask.toArray(new long[0][])), step.create(positions));
            NDArray logits = model.forward(new ParameterStore(step, false), inputs, false, cache.asParams()).head();
            NDArray last = logits.get(new NDIndex(":, -1, :"));
            float[][] rows = new float[ids.length][];
            for (int r = 0; r < ids.length; r++) {
                rows[r] = last.get(r).toFloatArray();
            }
            return rows;
        }
    }

    private boolean hitsStop(List<Long> tokens, GenerationConfig config) {
        if (config.stopStrings().isEmpty()) {
            return false;
        }
        String text = decoder.apply(tokens.stream().mapToLong(Long::longValue).toArray());
        return config.stopStrings().stream().anyMatch(text::endsWith);
    }

    private static boolean allTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    /** The device the model's weights are on: its inputs and KV cache go there too. */
    private Device device() {
        for (Parameter p : ModuleTree.parameters(model).values()) {
            if (p.isInitialized()) {
                return p.getArray().getDevice();
            }
        }
        return Device.cpu();
    }
}
