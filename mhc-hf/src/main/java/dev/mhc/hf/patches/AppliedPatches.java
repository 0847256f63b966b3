package dev.mhc.hf.patches;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Which patches have been applied to which objects, by identity and weakly: a model or config
 * that is no longer used is forgotten, and two equal records are still two targets.
 */
final class AppliedPatches {

    /**
     * One application: the options it ran with, and (pre-init) the config it returned, held weakly
     * so that a result nobody keeps does not pin its input.
     */
    record Application(Map<String, Object> options, WeakReference<Object> result) {}

    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final Map<Target, Map<String, Application>> byTarget = new HashMap<>();

    synchronized Application find(Object target, String patch) {
        expunge();
        Map<String, Application> applications = byTarget.get(new Target(target, null));
        return applications == null ? null : applications.get(patch);
    }

    synchronized void record(Object target, String patch, Application application) {
        expunge();
        byTarget.computeIfAbsent(new Target(target, collected), t -> new HashMap<>())
                .put(patch, application);
    }

    private void expunge() {
        for (Reference<?> gone; (gone = collected.poll()) != null; ) {
            byTarget.remove(gone);
        }
    }

    /** A weak key compared by identity; a cleared key equals only itself, so it can be removed. */
    private static final class Target extends WeakReference<Object> {
        private final int hash;

        Target(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object referent = get();
            return other instanceof Target target && referent != null && referent == target.get();
        }
    }
}
