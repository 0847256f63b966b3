package dev.mhc.hf.finetune;

import dev.mhc.core.train.TrainingHistory;
import java.io.IOException;
import java.util.Map;

/**
 * The files a run writes beside what it trained (its resolved settings, its metrics): written in the
 * same unit as the trained weights, so that a run directory never describes other weights.
 */
@FunctionalInterface
public interface RunFiles {

    /** No files beside the trained ones. */
    RunFiles NONE = history -> Map.of();

    /** @return file name to content, for the finished run's history */
    Map<String, byte[]> files(TrainingHistory history) throws IOException;
}
