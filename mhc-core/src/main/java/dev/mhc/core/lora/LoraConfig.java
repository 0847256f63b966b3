package dev.mhc.core.lora;

import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.util.List;
import java.util.regex.Pattern;

/**
 * LoRA settings, in PEFT's terms.
 *
 * @param r the rank of the update B A
 * @param loraAlpha the update is scaled by loraAlpha / r
 * @param loraDropout dropout on the adapter's input while training, in [0, 1)
 * @param targetModules name suffixes ({@code "query"} selects {@code encoder.layer.0.attention.self.query});
 *     or empty when {@code targetRegex} is used
 * @param targetRegex a full-match regex over module paths, or {@code null}
 */
public record LoraConfig(int r, double loraAlpha, double loraDropout, List<String> targetModules, String targetRegex) {

    public LoraConfig {
        targetModules = targetModules == null ? List.of() : List.copyOf(targetModules);
        if (r < 1) {
            throw new IllegalArgumentException("LoRA rank r must be at least 1, got " + r);
        }
        if (!(loraAlpha > 0) || Double.isInfinite(loraAlpha)) {
            throw new IllegalArgumentException("lora_alpha must be a positive number, got " + loraAlpha);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + loraDropout);
        }
        if (targetModules.isEmpty() == (targetRegex == null)) {
            throw new IllegalArgumentException(
                    "give either target module names (e.g. [\"query\", \"value\"]) or a path regex, not both or neither");
        }
        if (targetRegex != null) {
            Pattern.compile(targetRegex);
        }
    }

    /** Targets by name suffix, as PEFT's list form of {@code target_modules}. */
    public static LoraConfig of(int r, double alpha, double dropout, List<String> targetModules) {
        return new LoraConfig(r, alpha, dropout, targetModules, null);
    }

    /** Targets by full-match path regex, as PEFT's string form of {@code target_modules}. */
    public static LoraConfig ofRegex(int r, double alpha, double dropout, String regex) {
        return new LoraConfig(r, alpha, dropout, null, regex);
    }

    public double scaling() {
        return loraAlpha / r;
    }

    /** @return the selection PEFT's {@code target_modules} makes with these targets */
    public Selector target() {
        String described = "LoRA target modules "
                + (targetRegex != null ? "/" + targetRegex + "/" : targetModules.toString());
        return Selector.of(this::targets, described);
    }

    /** PEFT's rule: the path equals a target or ends with "." + target; or the regex matches. */
    boolean targets(ModuleTree.Entry entry) {
        if (targetRegex != null) {
            return Pattern.matches(targetRegex, entry.path());
        }
        for (String target : targetModules) {
            if (entry.path().equals(target) || entry.path().endsWith("." + target)) {
                return true;
            }
        }
        return false;
    }
}
