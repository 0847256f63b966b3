package dev.mhc.core.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.streams.HyperConnections;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The parameter groups the design card recommends when adapters train: the mixing weights (history
 * mixing and multi-stream connections) without weight decay, which users of hyper-connections report
 * turns them NaN, and at a tenth of their rate during a warm-up, the LoRA adapters without weight
 * decay, and the caller's group for everything else (a head, or the whole model). Groups are
 * chosen by the adapters' own keys in the model, so build them after injecting.
 */
public final class ParamGroups {

    private ParamGroups() {}

    /**
     * @param mixingWarmupEpochs epochs at a tenth of {@code mixingLr} (0: the full rate from the start)
     * @param rest the group for every other trainable parameter, e.g. {@code new ParamGroup("head",
     *     ParamGroup.everything(), 5e-3, 0.01, Schedule.constant())}
     */
    public static List<ParamGroup> withAdapters(
            Block model, double mixingLr, int mixingWarmupEpochs, double loraLr, ParamGroup rest) {
        // By identity, then named as the model names them: adapters injected into a sub-block (an
        // encoder inside a classifier) name their parameters from that block, not from the model.
        Set<Parameter> mixingParameters = Collections.newSetFromMap(new IdentityHashMap<>());
        mixingParameters.addAll(Mhc.parameters(model).values());
        mixingParameters.addAll(HyperConnections.parameters(model).values());
        Set<Parameter> loraParameters = Collections.newSetFromMap(new IdentityHashMap<>());
        loraParameters.addAll(Lora.parameters(model).values());
        Set<String> mixing = new HashSet<>();
        Set<String> lora = new HashSet<>();
        ModuleTree.parameters(model).forEach((key, parameter) -> {
            if (mixingParameters.contains(parameter)) {
                mixing.add(key);
            } else if (loraParameters.contains(parameter)) {
                lora.add(key);
            }
        });
        return List.of(
                new ParamGroup("mixing", Set.copyOf(mixing)::contains, mixingLr, 0, Schedule.warmupEpochs(mixingWarmupEpochs, 0.1)),
                new ParamGroup("lora", Set.copyOf(lora)::contains, loraLr, 0, Schedule.constant()),
                rest);
    }
}
