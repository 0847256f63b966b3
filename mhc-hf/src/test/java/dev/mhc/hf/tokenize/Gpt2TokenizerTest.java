package dev.mhc.hf.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real GPT-2 tokenizer gives exactly the ids Hugging Face's gave (the fixture's golden.json). */
class Gpt2TokenizerTest {

    private final Path dir = Golden.fixture("gpt2-tokenizer").dir();

    @Test
    void idsEqualHuggingFacesAndDecodeBack() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        try (TextTokenizer tokenizer = TextTokenizer.fromPretrained(dir, 0)) {
            for (JsonNode c : cases) {
                String text = c.get("text").asText();
                long[] expected = new long[c.get("ids").size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = c.get("ids").get(i).asLong();
                }
                long[] ids = tokenizer.encode(text).inputIds()[0];
                assertArrayEquals(expected, ids, text);
                assertEquals(text, tokenizer.decode(ids, false));
            }
        }
    }

    @Test
    void aMissingTokenizerFileIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> TextTokenizer.fromPretrained(dir.resolve("nope"), 0));
        assertTrue(e.getMessage().contains("no tokenizer.json at"), e.getMessage());
    }
}
