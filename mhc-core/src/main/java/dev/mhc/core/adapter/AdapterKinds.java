package dev.mhc.core.adapter;

import ai.djl.nn.Block;
import dev.mhc.core.io.AtomicDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The list of injection kinds: every {@link Source} named in {@code
 * META-INF/services/dev.mhc.core.adapter.AdapterKinds$Source} on the classpath (this library's own,
 * and any jar's). A save uses it to keep one kind per directory.
 */
public final class AdapterKinds {

    /** Names a kind for the service loader; implement it in the kind's package. */
    public interface Source {
        AdapterKind<?, ?> kind();
    }

    private static final List<AdapterKind<?, ?>> ALL = load();

    private AdapterKinds() {}

    /** @return every kind on the classpath, in service-file order */
    public static List<AdapterKind<?, ?>> all() {
        return ALL;
    }

    /**
     * @return the kind whose save {@code dir} holds, told by its config file (each kind's has its own
     *     name; a directory holds one save)
     * @throws IOException when {@code dir} holds no save, or (written before saves replaced each other)
     *     several
     */
    public static AdapterKind<?, ?> of(Path dir) throws IOException {
        Path source = AtomicDirectory.forReading(dir);
        if (!Files.isDirectory(source)) {
            throw new IOException(dir + " is not a directory; give a directory a save wrote (mhc inject, mhc finetune)");
        }
        List<AdapterKind<?, ?>> found = new ArrayList<>();
        for (AdapterKind<?, ?> kind : ALL) {
            if (Files.isRegularFile(source.resolve(kind.configFile()))) {
                found.add(kind);
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        List<String> files = ALL.stream().map(AdapterKind::configFile).toList();
        throw new IOException(dir + (found.isEmpty() ? " holds no save: none of " + files
                : " holds saves of several kinds " + found.stream().map(AdapterKind::name).toList()
                        + " (from before a save replaced another kind's); save again into an empty directory"));
    }

    /** Loads the save {@code dir} holds onto {@code model}, whatever its kind. */
    public static AdapterKind<?, ?> load(Block model, Path dir) throws IOException {
        AdapterKind<?, ?> kind = of(dir);
        Adapters.load(model, kind, dir);
        return kind;
    }

    private static List<AdapterKind<?, ?>> load() {
        List<AdapterKind<?, ?>> kinds = new ArrayList<>();
        ServiceLoader.load(Source.class, AdapterKinds.class.getClassLoader()).forEach(s -> kinds.add(s.kind()));
        return List.copyOf(kinds);
    }
}
