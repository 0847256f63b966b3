package dev.mhc.hf.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.mhc.core.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}, run by DJL's bindings to HF's Rust
 * tokenizers): batch encoding with padding to the longest row, truncation, attention masks and
 * token type ids, as a model's inputs.
 */
public final class TextTokenizer implements AutoCloseable {

    /**
     * A truncating tokenizer reads at most this many characters per token it keeps: the ids of a
     * long text are those of its start, so the rest is not tokenised only to be dropped (no token of a
     * real vocabulary spans this many characters).
     */
    static final int CHARS_PER_TOKEN_BOUND = 1024;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /** Options: truncation to {@code maxLength} tokens, or none with 0 (e.g. to pack long texts). */
    private static Map<String, String> options(int maxLength) {
        Map<String, String> options = new HashMap<>();
        options.put("padding", "true");
        options.put("truncation", Boolean.toString(maxLength > 0));
        options.put("addSpecialTokens", "true");
        if (maxLength > 0) {
            options.put("maxLength", Integer.toString(maxLength));
        }
        return options;
    }

    /** @param path a {@code tokenizer.json} or a checkpoint directory holding one */
    public static TextTokenizer fromPretrained(Path path, int maxLength) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no tokenizer.json at " + file + "; only fast tokenizers (tokenizer.json) are supported");
        }
        try (InputStream in = Files.newInputStream(InputFiles.regular(file, "tokenizer.json"))) {
            return fromStream(in, maxLength);
        }
    }

    public static TextTokenizer fromStream(InputStream tokenizerJson, int maxLength) throws IOException {
        return new TextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options(maxLength)), maxLength);
    }

    /** @return the rows, padded on the right to the longest, with masks and token types */
    public TokenBatch encode(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to encode: the list of texts is empty");
        }
        Encoding[] encodings = tokenizer.batchEncode(texts.stream().map(this::start).toList());
        long[][] ids = new long[encodings.length][];
        long[][] mask = new long[encodings.length][];
        long[][] types = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
            mask[i] = encodings[i].getAttentionMask();
            types[i] = encodings[i].getTypeIds();
        }
        return new TokenBatch(ids, mask, types);
    }

    public TokenBatch encode(String text) {
        return encode(List.of(text));
    }

    /** @return the ids of one text, with or without the tokenizer's special tokens (BOS ...) */
    public long[] ids(String text, boolean addSpecialTokens) {
        return tokenizer.encode(start(text), addSpecialTokens, false).getIds();
    }

    /** @return the tokens of one text, one per id of {@link #ids} with the same flag */
    public String[] tokens(String text, boolean addSpecialTokens) {
        return tokenizer.encode(start(text), addSpecialTokens, false).getTokens();
    }

    /** @return the number of tokens a text is truncated to, or 0 when this tokenizer does not truncate */
    public int maxLength() {
        return maxLength;
    }

    /** The part of {@code text} the kept tokens can come from (all of it without truncation). */
    private String start(String text) {
        long limit = (long) maxLength * CHARS_PER_TOKEN_BOUND;
        if (maxLength <= 0 || text.length() <= limit) {
            return text;
        }
        int end = (int) limit;
        return text.substring(0, Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
