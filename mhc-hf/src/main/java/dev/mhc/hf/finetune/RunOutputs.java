package dev.mhc.hf.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names a fine-tuning run writes into its directory, whatever its task: a run replaces every one
 * of them (an earlier run's head does not stay beside a later run's adapters), and keeps other files.
 */
final class RunOutputs {

    static final String TRAINED = "trained.safetensors";
    static final String HEAD = "head.safetensors";
    static final String LABELS = "labels.json";
    static final String ADAPTERS = "adapters";
    static final String MHC = "mhc";
    static final String STREAMS = "streams";

    private static final Set<String> NAMES = Set.of(TRAINED, HEAD, LABELS, ADAPTERS, MHC, STREAMS);

    private RunOutputs() {}

    /** @return every run output's name and those of the run's own files */
    static Set<String> owned(Map<String, byte[]> runFiles) {
        Set<String> owned = new HashSet<>(NAMES);
        owned.addAll(runFiles.keySet());
        return owned;
    }

    static void write(Path staging, Map<String, byte[]> runFiles) throws IOException {
        for (Map.Entry<String, byte[]> file : runFiles.entrySet()) {
            Files.write(staging.resolve(file.getKey()), file.getValue());
        }
    }
}
