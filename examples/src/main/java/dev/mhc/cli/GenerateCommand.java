package dev.mhc.cli;

import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.generate.CausalLanguageModel;
import dev.mhc.hf.generate.GenerationConfig;
import dev.mhc.hf.generate.Generator;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mhc generate}: continue a prompt with a causal LM, streaming tokens. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Continue a prompt (text, or token ids) with a causal LM; temperature 0 is greedy.")
final class GenerateCommand implements Callable<Integer> {

    static final class Prompt {
        @Option(names = "--prompt", description = "prompt text (needs tokenizer.json beside the model)") String text;
        @Option(names = "--prompt-ids", description = "prompt token ids, e.g. 5,17,9")
        String ids;
    }

    @Mixin ModelArgument model;
    @ArgGroup(exclusive = true, multiplicity = "1") Prompt prompt;
    @Option(names = "--mhc", description = "what mhc inject or finetune wrote (an mhc or streams directory), loaded onto the model") Path mhc;
    @Option(names = "--max-new-tokens", defaultValue = "32", description = "default ${DEFAULT-VALUE}") int maxNewTokens;
    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default); else finite and > 0") double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "0 = off (default)") int topK;
    @Option(names = "--top-p", defaultValue = "1", description = "1 = off (default)") double topP;
    @Option(names = "--seed", defaultValue = "0", description = "sampling seed") long seed;
    @Option(names = "--json", description = "print {\"text\", \"token_ids\"} of the new tokens") boolean json;

    @Override
    public Integer call() throws Exception {
        try (PretrainedModel opened = model.open(mhc)) {
            if (!(opened.block() instanceof CausalLanguageModel lm)) {
                throw new IllegalArgumentException(opened.architecture() + " is not a causal LM; generate needs"
                        + " e.g. GPT2LMHeadModel");
            }
            TextTokenizer tokenizer = prompt.text != null || !json ? tryTokenizer() : null;
            long[] ids = prompt.ids != null ? TokenIds.parse(prompt.ids) : requireTokenizer(tokenizer).ids(prompt.text, true);
            Set<Long> eos = lm.eosTokenIds();
            GenerationConfig config = GenerationConfig.greedy(maxNewTokens, eos);
            if (temperature != 0) { // anything but exactly 0 samples, and the config refuses what cannot be a temperature
                config = config.withSampling(temperature, topK, topP, seed);
            }
            List<Long> streamed = new ArrayList<>();
            Generator generator = new Generator(lm, eos.isEmpty() ? 0 : eos.iterator().next(), null);
            long[] tokens = generator.generate(List.of(ids), config, (row, token) -> {
                streamed.add(token);
                if (!json) {
                    System.out.print(tokenizer != null ? tokenizer.decode(new long[] {token}, true) : token + " ");
                    System.out.flush();
                }
            }).get(0);
            if (json) {
                String text = tokenizer != null ? tokenizer.decode(tokens, true) : "";
                System.out.println(Json.of(Map.of("text", text, "token_ids", tokens)));
            } else {
                System.out.println();
            }
            if (tokenizer != null) {
                tokenizer.close();
            }
        }
        return 0;
    }

    private TextTokenizer tryTokenizer() {
        try {
            return model.tokenizer(0);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static TextTokenizer requireTokenizer(TextTokenizer tokenizer) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("--prompt needs tokenizer.json beside the model; or give --prompt-ids");
        }
        return tokenizer;
    }
}
