package dev.mhc.core.lora;

import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.OutputEmbeddings;
import dev.mhc.core.module.Selector;
import dev.mhc.core.nn.LinearLike;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LoRA settings, in PEFT's terms and with PEFT's matching rules (peft 0.21's {@code LoraConfig} and
 * {@code check_target_module_exists}).
 *
 * @param r the rank of the update B A, unless {@code rankPattern} names the layer
 * @param loraAlpha the update's scale numerator, unless {@code alphaPattern} names the layer
 * @param loraDropout dropout on the adapter's input while training, in [0, 1)
 * @param targetModules name suffixes ({@code "query"} selects {@code encoder.layer.0.attention.self.query}),
 *     or {@link #ALL_LINEAR} alone; empty when {@code targetRegex} is used
 * @param targetRegex a full-match regex over module paths, or {@code null}
 * @param useRslora scale by alpha / sqrt(r) (rank-stabilised LoRA) instead of alpha / r
 * @param useDora DoRA: a learned magnitude per output row times the direction of W + scale B A
 * @param rankPattern regex to rank, for the layers whose path the regex ends (first match wins)
 * @param alphaPattern regex to alpha, matched as {@code rankPattern}
 * @param excludeModules name suffixes never adapted
 * @param excludeRegex a full-match regex over module paths never adapted, or {@code null}
 * @param layersToTransform layer indices to adapt (empty: all); checked for suffix matches only, as PEFT
 * @param layersPattern the names of the layer lists the index follows ({@code layers}, {@code h}); empty:
 *     the first numbered path segment
 * @param modulesToSave modules trained and saved whole ({@link ModuleToSave}): a module whose path ends
 *     with one of these strings (PEFT's plain suffix rule); no LoRA target lies inside one
 */
public record LoraConfig(int r, double loraAlpha, double loraDropout, List<String> targetModules,
        String targetRegex, boolean useRslora, boolean useDora, Map<String, Integer> rankPattern,
        Map<String, Double> alphaPattern, List<String> excludeModules, String excludeRegex,
        List<Integer> layersToTransform, List<String> layersPattern, List<String> modulesToSave) {

    /** PEFT's {@code target_modules="all-linear"}: every Linear and Conv1D but the output head. */
    public static final String ALL_LINEAR = "all-linear";

    private static final Pattern FIRST_INDEX = Pattern.compile(".*?\\.[^.]*\\.(\\d+)\\..*");

    public LoraConfig {
        targetModules = targetModules == null ? List.of() : List.copyOf(targetModules);
        rankPattern = rankPattern == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern));
        alphaPattern = alphaPattern == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(alphaPattern));
        excludeModules = excludeModules == null ? List.of() : List.copyOf(excludeModules);
        layersToTransform = layersToTransform == null ? List.of() : List.copyOf(layersToTransform);
        layersPattern = layersPattern == null ? List.of() : List.copyOf(layersPattern);
        modulesToSave = modulesToSave == null ? List.of() : List.copyOf(modulesToSave);
        checkRank("r", r);
        checkAlpha("lora_alpha", loraAlpha);
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + loraDropout);
        }
        if (targetModules.isEmpty() == (targetRegex == null)) {
            throw new IllegalArgumentException(
                    "give either target module names (e.g. [\"query\", \"value\"]) or a path regex, not both or neither");
        }
        if (targetModules.size() > 1 && targetModules.stream().anyMatch(ALL_LINEAR::equalsIgnoreCase)) {
            throw new IllegalArgumentException("\"" + ALL_LINEAR + "\" selects every linear layer: give it alone, not"
                    + " among other target modules " + targetModules);
        }
        if (targetRegex != null) {
            Pattern.compile(targetRegex);
        }
        if (excludeRegex != null) {
            Pattern.compile(excludeRegex);
        }
        for (Map.Entry<String, Integer> e : rankPattern.entrySet()) {
            Pattern.compile(e.getKey());
            checkRank("rank_pattern." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Double> e : alphaPattern.entrySet()) {
            Pattern.compile(e.getKey());
            checkAlpha("alpha_pattern." + e.getKey(), e.getValue());
        }
        if (targetRegex != null && !layersToTransform.isEmpty()) {
            throw new IllegalArgumentException("layers_to_transform works with a list of target modules, not with the"
                    + " regex " + targetRegex + " (as in PEFT); put the layer indices into the regex");
        }
        if (!layersPattern.isEmpty() && layersToTransform.isEmpty()) {
            throw new IllegalArgumentException("layers_pattern " + layersPattern + " needs layers_to_transform");
        }
        for (Integer layer : layersToTransform) {
            if (layer == null || layer < 0) {
                throw new IllegalArgumentException("layers_to_transform holds layer indices >= 0, got "
                        + layersToTransform);
            }
        }
    }

    /** Targets by name suffix, as PEFT's list form of {@code target_modules}. */
    public static LoraConfig of(int r, double alpha, double dropout, List<String> targetModules) {
        return new LoraConfig(r, alpha, dropout, targetModules, null, false, false, null, null, null, null, null, null, null);
    }

    /** Targets by full-match path regex, as PEFT's string form of {@code target_modules}. */
    public static LoraConfig ofRegex(int r, double alpha, double dropout, String regex) {
        return new LoraConfig(r, alpha, dropout, null, regex, false, false, null, null, null, null, null, null, null);
    }

    /** @return these settings with rank-stabilised scaling on or off */
    public LoraConfig withRslora(boolean on) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, on, useDora, rankPattern,
                alphaPattern, excludeModules, excludeRegex, layersToTransform, layersPattern, modulesToSave);
    }

    /** @return these settings with DoRA on or off */
    public LoraConfig withDora(boolean on) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, useRslora, on, rankPattern,
                alphaPattern, excludeModules, excludeRegex, layersToTransform, layersPattern, modulesToSave);
    }

    /** @return these settings with per-layer ranks and alphas by PEFT's pattern keys */
    public LoraConfig withPatterns(Map<String, Integer> ranks, Map<String, Double> alphas) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, useRslora, useDora, ranks,
                alphas, excludeModules, excludeRegex, layersToTransform, layersPattern, modulesToSave);
    }

    /** @return these settings never adapting the given name suffixes, or the paths {@code regex} matches */
    public LoraConfig withExcluded(List<String> modules, String regex) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, useRslora, useDora, rankPattern,
                alphaPattern, modules, regex, layersToTransform, layersPattern, modulesToSave);
    }

    /** @return these settings adapting only the given layer indices (found after {@code pattern}s) */
    public LoraConfig withLayers(List<Integer> layers, List<String> pattern) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, useRslora, useDora, rankPattern,
                alphaPattern, excludeModules, excludeRegex, layers, pattern, modulesToSave);
    }

    /** @return these settings training and saving whole the modules whose paths end with {@code modules} */
    public LoraConfig withModulesToSave(List<String> modules) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, useRslora, useDora, rankPattern,
                alphaPattern, excludeModules, excludeRegex, layersToTransform, layersPattern, modules);
    }

    public boolean allLinear() {
        return targetModules.size() == 1 && ALL_LINEAR.equalsIgnoreCase(targetModules.get(0));
    }

    /** @return the rank of the layer at {@code path}: the first rank pattern that ends its path, else r */
    public int rank(String path) {
        String key = patternKey(rankPattern.keySet(), path);
        return key == null ? r : rankPattern.get(key);
    }

    /** @return alpha of the layer at {@code path}, as {@link #rank} */
    public double alpha(String path) {
        String key = patternKey(alphaPattern.keySet(), path);
        return key == null ? loraAlpha : alphaPattern.get(key);
    }

    /** @return the update's scale at {@code path}: alpha / r, or alpha / sqrt(r) with rsLoRA */
    public double scaling(String path) {
        int rank = rank(path);
        return alpha(path) / (useRslora ? Math.sqrt(rank) : rank);
    }

    /** @return the selection PEFT's {@code target_modules} makes with these settings */
    public Selector target() {
        String described = "LoRA target modules "
                + (targetRegex != null ? "/" + targetRegex + "/" : targetModules.toString());
        return Selector.of(this::targets, described);
    }

    /** @return whether the module at {@code path} is trained and saved whole: PEFT's plain suffix match */
    public boolean savesModule(String path) {
        return modulesToSave.stream().anyMatch(path::endsWith);
    }

    /** PEFT's selection: the modules to save, and the LoRA targets outside them. */
    boolean targets(ModuleTree.Entry entry) {
        return savesModule(entry.path()) || adapts(entry);
    }

    /**
     * PEFT's rule: excluded paths and paths inside modules to save never; all-linear, every
     * projection but the output head; else the regex matches the whole path, or the path equals a
     * target, or it ends with "." + target (and, for the last, lies in one of {@code layersToTransform}).
     */
    private boolean adapts(ModuleTree.Entry entry) {
        String path = entry.path();
        if ((excludeRegex != null && Pattern.matches(excludeRegex, path)) || endsWithName(excludeModules, path)
                || insideModuleToSave(path)) {
            return false;
        }
        if (allLinear()) {
            return entry.block() instanceof LinearLike && !OutputEmbeddings.isOutputEmbeddings(entry);
        }
        if (targetRegex != null) {
            return Pattern.matches(targetRegex, path);
        }
        if (targetModules.contains(path)) {
            return true;
        }
        return endsWithName(targetModules, path) && inLayers(path);
    }

    private boolean insideModuleToSave(String path) {
        for (String module : modulesToSave) {
            if (Pattern.matches("(^|.*\\.)" + module + "($|\\..*)", path)) {
                return true;
            }
        }
        return false;
    }

    private boolean inLayers(String path) {
        if (layersToTransform.isEmpty()) {
            return true;
        }
        Matcher index = null;
        if (layersPattern.isEmpty()) {
            index = FIRST_INDEX.matcher(path);
        } else {
            for (String pattern : layersPattern) {
                index = Pattern.compile(".*?\\." + pattern + "\\.(\\d+)\\..*").matcher(path);
                if (index.matches()) {
                    break;
                }
            }
        }
        return index.matches() && layersToTransform.contains(Integer.parseInt(index.group(1)));
    }

    private static boolean endsWithName(List<String> names, String path) {
        for (String name : names) {
            if (path.equals(name) || path.endsWith("." + name)) {
                return true;
            }
        }
        return false;
    }

    /** PEFT's {@code get_pattern_key}: the first key that, as a regex, ends the path at a dot boundary. */
    private static String patternKey(Iterable<String> keys, String path) {
        for (String key : keys) {
            if (Pattern.matches("(.*\\.)?(" + key + ")", path)) {
                return key;
            }
        }
        return null;
    }

    private static void checkRank(String key, Integer rank) {
        if (rank == null || rank < 1) {
            throw new IllegalArgumentException("LoRA rank " + key + " must be at least 1, got " + rank);
        }
    }

    private static void checkAlpha(String key, Double alpha) {
        if (alpha == null || !(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException(key + " must be a positive number, got " + alpha);
        }
    }
}
