package dev.mhc.core.adapter;

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

    private static List<AdapterKind<?, ?>> load() {
        List<AdapterKind<?, ?>> kinds = new ArrayList<>();
        ServiceLoader.load(Source.class, AdapterKinds.class.getClassLoader()).forEach(s -> kinds.add(s.kind()));
        return List.copyOf(kinds);
    }
}
