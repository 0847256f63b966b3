package dev.mhc.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.config.TextModelConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mhc forward}: run a model on token ids and print its main output, for comparisons. */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run the model on token ids (one --ids per row; shorter rows padded on the right) and print"
                + " its main output.")
final class ForwardCommand implements Callable<Integer> {

    @Mixin ModelArgument model;
    @Option(names = "--ids", required = true, converter = TokenIds.class,
            description = "comma-separated token ids of one row; repeat for more rows")
    List<long[]> rows;
    @Option(names = "--mask", paramLabel = "VALUES",
            description = "one row's attention mask (comma-separated; 1 = token, 0 = padding), in --ids order;"
                    + " default: 1 for every given id")
    List<String> masks;
    @Option(names = "--mhc", description = "what mhc inject or finetune wrote (an mhc or streams directory), loaded onto the model") Path mhc;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        long[][] given = masks(); // checked before the model loads
        try (PretrainedModel opened = model.open(mhc); NDManager manager = opened.manager().newSubManager()) {
            int width = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
            long pad = padTokenId(opened);
            long[][] ids = new long[rows.size()][width];
            long[][] mask = new long[rows.size()][width];
            for (int r = 0; r < rows.size(); r++) {
                for (int i = 0; i < width; i++) {
                    boolean real = i < rows.get(r).length;
                    ids[r][i] = real ? rows.get(r)[i] : pad;
                    mask[r][i] = !real ? 0 : given == null ? 1 : given[r][i];
                }
            }
            NDArray out = opened.predict(new NDList(manager.create(ids), manager.create(mask))).head();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("output", opened.kind() == ModelKind.GENERAL ? "last_hidden_state" : "logits");
            result.put("shape", out.getShape().getShape());
            result.put("data", out.toFloatArray());
            System.out.println(json ? Json.of(result) : result.get("output") + " " + out.getShape() + "\n" + out);
        }
        return 0;
    }

    /** @return the --mask rows, one per --ids row and of its length, or {@code null} without --mask */
    private long[][] masks() {
        if (masks == null) {
            return null;
        }
        if (masks.size() != rows.size()) {
            throw new IllegalArgumentException("--mask given " + masks.size() + " time(s) for " + rows.size()
                    + " --ids row(s): give one mask per row, or none");
        }
        long[][] out = new long[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            try {
                out[r] = Arrays.stream(masks.get(r).split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mask takes comma-separated integers, got \"" + masks.get(r) + "\"");
            }
            if (out[r].length != rows.get(r).length) {
                throw new IllegalArgumentException("--mask \"" + masks.get(r) + "\" has " + out[r].length
                        + " values for the " + rows.get(r).length + " ids of its row");
            }
        }
        return out;
    }

    /** The config's pad_token_id, or 0 where it has none. */
    private static long padTokenId(PretrainedModel model) {
        return model.config() instanceof TextModelConfig text && text.padTokenId() != null ? text.padTokenId() : 0;
    }
}
