package dev.mhc.core.train;

import ai.djl.nn.Block;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.AdapterKinds;
import dev.mhc.core.adapter.Adapters;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.streams.HyperConnections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parameter groups the design card recommends when adapters train: the mixing weights (history
 * mixing and multi-stream connections) without weight decay, which users of hyper-connections report
 * turns them NaN, and at a tenth of their rate during a warm-up, the adapters of every other kind
 * ({@link AdapterKinds}: LoRA, an injected attention) without weight decay, and the caller's group for everything else (a head, or the whole model). Groups are
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
        Set<String> mixing = new HashSet<>(Mhc.parameters(model).keySet());
        mixing.addAll(HyperConnections.parameters(model).keySet());
        Set<String> adapters = new HashSet<>(); // every other kind's (LoRA's, an injected attention's, a jar's)
        for (AdapterKind<?, ?> kind : AdapterKinds.all()) {
            adapters.addAll(Adapters.parameters(model, kind).keySet());
        }
        adapters.removeAll(mixing);
        return List.of(
                new ParamGroup("mixing", Set.copyOf(mixing)::contains, mixingLr, 0, Schedule.warmupEpochs(mixingWarmupEpochs, 0.1)),
                new ParamGroup("lora", Set.copyOf(adapters)::contains, loraLr, 0, Schedule.constant()),
                rest);
    }
}
