package dev.mhc.cli;

import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mhc tokenize}: the ids and tokens a model's tokenizer gives a text, to compare with Python's. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Token ids and tokens of texts, as a tokenizer.json (or a model's) gives them.")
final class TokenizeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TOKENIZER",
            description = "a tokenizer.json, a directory holding one (a checkpoint), or minilm")
    String tokenizer;
    @Option(names = "--text", required = true, description = "a text; repeat for more") List<String> texts;
    @Option(names = "--no-special-tokens",
            description = "without the special tokens the tokenizer adds (BOS, [CLS] ...), as add_special_tokens=False")
    boolean noSpecialTokens;
    @Option(names = "--json", description = "print JSON: {\"ids\": [...], \"tokens\": [...]} per text") boolean json;

    @Override
    public Integer call() throws Exception {
        try (TextTokenizer opened = Models.MINILM.equals(tokenizer) ? AllMiniLmL6V2.tokenizer()
                : TextTokenizer.fromPretrained(Path.of(tokenizer), 0)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String text : texts) {
                Map<String, Object> row = new LinkedHashMap<>();
                long[] ids = opened.ids(text, !noSpecialTokens);
                row.put("ids", ids);
                row.put("tokens", opened.tokens(text, !noSpecialTokens));
                // at the tokenizer's max length the text may have gone on: say so rather than cut in silence
                row.put("truncated", opened.maxLength() > 0 && ids.length >= opened.maxLength());
                rows.add(row);
            }
            if (json) {
                System.out.println(Json.of(rows.size() == 1 ? rows.get(0) : rows));
            } else {
                for (int i = 0; i < texts.size(); i++) {
                    long[] ids = (long[]) rows.get(i).get("ids");
                    String[] tokens = (String[]) rows.get(i).get("tokens");
                    boolean cut = (Boolean) rows.get(i).get("truncated");
                    String text = texts.get(i).length() > 80 ? texts.get(i).substring(0, 77) + "..." : texts.get(i);
                    System.out.println(text + " -> " + ids.length + " tokens"
                            + (cut ? " (truncated at the tokenizer's max length, " + opened.maxLength() + ")" : ""));
                    StringBuilder line = new StringBuilder();
                    for (int t = 0; t < ids.length; t++) {
                        line.append(t == 0 ? "  " : " ").append(ids[t]).append(':').append(tokens[t]);
                    }
                    System.out.println(line);
                }
            }
        }
        return 0;
    }
}
