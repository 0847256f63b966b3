package dev.mhc.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves of several files that replace each other as one unit: a reader finds the old save or the
 * new one, never a mix, whenever the writing process dies, and writers at the same time (threads
 * or processes) neither lose each other's files nor anyone else's.
 *
 * <p>A save into {@code NAME} writes its files into a sibling staging directory {@code
 * .NAME.tmp-ID}, which its writer marks as live by holding a lock on {@code .NAME.tmp-ID.lock}.
 * Then, holding the lock {@code .NAME.lock} (one writer at a time swaps), it carries over the
 * entries of the current {@code NAME} that the save does not own (hard links where possible), so a
 * save into a directory that holds other things keeps them, notes in the journal {@code
 * .NAME.swap} where the current directory goes, renames it aside to {@code .NAME.old-ID}, renames
 * the staging directory to {@code NAME}, and removes the journal and the old copy. Between the two
 * renames {@code NAME} is absent: {@link #forReading} then answers the copy the journal names (and
 * says so); a set-aside copy no journal names is never read. The next save removes what dead
 * writers left: staging directories whose lock no one holds, and set-aside copies no journal needs.
 *
 * <p>The target may not be empty, the file-system root, or the working directory or one holding it:
 * swapping those would pull the directory out from under the processes working in it.
 */
public final class AtomicDirectory {

    /** Writes the new files into an empty staging directory. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path staging) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AtomicDirectory.class);

    private static final String STAGING = ".tmp-";
    private static final String ASIDE = ".old-";
    private static final String LOCK = ".lock";
    private static final String JOURNAL = ".swap";

    /** File locks are per process: threads of this one take turns here first. */
    private static final Map<Path, ReentrantLock> SWAPS = new ConcurrentHashMap<>();

    private AtomicDirectory() {}

    /**
     * Replaces the files of one save in {@code dir} (created if absent) as one unit.
     *
     * @param owned the names this kind of save may write; those of the old directory that {@code
     *     contents} does not write again are dropped, every other entry is kept
     * @throws IllegalArgumentException when {@code dir} is empty, the root, or the working directory
     *     or one holding it
     */
    public static void replace(Path dir, Set<String> owned, Contents contents) throws IOException {
        Path target = target(dir);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        String id = UUID.randomUUID().toString();
        Path staging = parent.resolve(sibling(target, STAGING) + id);
        try (OwnerLock live = OwnerLock.take(parent.resolve(staging.getFileName() + LOCK))) {
            Files.createDirectory(staging);
            try {
                contents.writeInto(staging);
                swap(target, staging, owned, id);
            } catch (IOException | RuntimeException | Error e) {
                deleteQuietly(staging, e);
                throw e;
            }
        }
    }

    /**
     * @return {@code dir} when it exists; otherwise, when a save into it was interrupted between its
     *     two renames (its journal says so), the complete earlier save it set aside, with a warning;
     *     otherwise {@code dir} (absent)
     */
    public static Path forReading(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) || target.getParent() == null || !Files.isDirectory(target.getParent())) {
            return target;
        }
        Path aside = journaled(target);
        if (aside == null) {
            return target;
        }
        LOG.warn("{} is missing: a save into it stopped between its two renames; reading the complete earlier save"
                + " it set aside, {} (the next save into {} replaces it)", target, aside.getFileName(), target);
        return aside;
    }

    /**
     * Checks, before any work, that a save into {@code dir} can happen: the rules of {@link
     * #replace}, no file in its place, and a writable directory to create it in.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code dir} and what to give instead
     */
    public static void checkWritable(Path dir) throws IOException {
        Path target = target(dir);
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException(dir + " exists and is not a directory; give a directory to save into");
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(dir + " cannot be created: " + existing + " is not a directory");
        }
        // a save writes its staging directory beside the target and renames both there
        Path where = Files.isDirectory(target.getParent()) ? target.getParent() : existing;
        if (!Files.isWritable(where)) {
            throw new IllegalArgumentException(dir + " cannot be saved into: " + where + " is not writable for this"
                    + " user; give a directory you can write to");
        }
    }

    /** The directory a save replaces: {@code dir}, or the directory its link points at. */
    private static Path target(Path dir) throws IOException {
        if (dir.toString().isBlank()) {
            throw new IllegalArgumentException("an empty path names no directory to save into (an unset variable?);"
                    + " give the output directory");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        Path target = Files.isSymbolicLink(absolute) ? absolute.toRealPath() : absolute;
        if (target.getParent() == null) {
            throw new IllegalArgumentException(dir + " is the file-system root; give a directory to save into");
        }
        Path working = Path.of("").toAbsolutePath().normalize();
        if (working.startsWith(target)) {
            throw new IllegalArgumentException(dir + " is the working directory" + (working.equals(target) ? "" : "'s")
                    + (working.equals(target) ? "" : " ancestor") + ": a save replaces its directory as a whole,"
                    + " which would pull it out from under the processes working in it; give a directory inside"
                    + " it, such as " + dir.resolve("out"));
        }
        return target;
    }

    /** Carries over, journals and renames, one writer at a time. */
    private static void swap(Path target, Path staging, Set<String> owned, String id) throws IOException {
        Path parent = target.getParent();
        Path lockFile = parent.resolve(sibling(target, LOCK));
        ReentrantLock threads = SWAPS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        threads.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock processes = channel.lock()) {
            Path recovered = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) ? null : journaled(target);
            Path previous = recovered != null ? recovered : target;
            if (Files.isDirectory(previous, LinkOption.NOFOLLOW_LINKS)) {
                carryOver(previous, staging, owned);
            }
            syncDirectory(staging);
            Path journal = parent.resolve(sibling(target, JOURNAL));
            Path aside = null;
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                aside = parent.resolve(sibling(target, ASIDE) + id);
                writeJournal(journal, aside.getFileName().toString());
                Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
            Files.deleteIfExists(journal);
            deleteTree(aside);
            deleteTree(recovered);
            deleteStale(target);
        } finally {
            threads.unlock();
        }
    }

    /** Forced to disk before the rename it announces; a torn journal names no copy and is ignored. */
    private static void writeJournal(Path journal, String asideName) throws IOException {
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(asideName.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }

    /** The set-aside copy the journal of {@code target} names, when it exists. */
    private static Path journaled(Path target) throws IOException {
        Path journal = target.getParent().resolve(sibling(target, JOURNAL));
        if (!Files.isRegularFile(journal)) {
            return null;
        }
        String name = Files.readString(journal, StandardCharsets.UTF_8).trim();
        Path aside = target.getParent().resolve(name);
        boolean ours = name.startsWith(sibling(target, ASIDE)) && aside.getParent().equals(target.getParent());
        return ours && Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS) ? aside : null;
    }

    private static String sibling(Path target, String kind) {
        return "." + target.getFileName() + kind;
    }

    /** Links (or copies) into {@code staging} every entry of {@code previous} it does not have. */
    private static void carryOver(Path previous, Path staging, Set<String> owned) throws IOException {
        try (Stream<Path> entries = Files.list(previous)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Path copy = staging.resolve(entry.getFileName().toString());
                if (owned.contains(entry.getFileName().toString()) || Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(copy);
                    carryOver(entry, copy, Set.of());
                } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    link(entry, copy);
                } else {
                    Files.copy(entry, copy, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    private static void link(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(existing, link, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /**
     * Removes, under the swap lock, what dead writers left beside {@code target}: staging directories
     * and owner locks no live writer holds, and set-aside copies (no journal needs them once {@code
     * target} exists).
     */
    private static void deleteStale(Path target) throws IOException {
        String staging = sibling(target, STAGING);
        String aside = sibling(target, ASIDE);
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            siblings.filter(p -> p.getFileName().toString().startsWith(staging)
                    || p.getFileName().toString().startsWith(aside)).forEach(candidates::add);
        }
        for (Path p : candidates) {
            String name = p.getFileName().toString();
            if (name.startsWith(aside)) {
                deleteTree(p);
            } else if (name.endsWith(LOCK)) {
                try (OwnerLock dead = OwnerLock.tryTake(p)) {
                    if (dead != null) { // its writer is gone: its staging directory, if any, and the lock
                        deleteTree(p.resolveSibling(name.substring(0, name.length() - LOCK.length())));
                        Files.deleteIfExists(p);
                    }
                }
            } else if (!Files.exists(p.resolveSibling(name + LOCK))) {
                deleteTree(p); // a staging directory without an owner lock: an older version's, or its lock is gone
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteQuietly(Path root, Throwable failure) {
        try {
            deleteTree(root);
        } catch (IOException | UncheckedIOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Makes renames and new entries durable; best effort where directories cannot be opened. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // e.g. Windows cannot open directories; the files themselves are already synced
        }
    }

    /** A lock that marks a staging directory as its writer's while the writer lives. */
    private static final class OwnerLock implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;

        private OwnerLock(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        static OwnerLock take(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new OwnerLock(file, channel, channel.lock());
        }

        /** @return the lock when no one holds it, else {@code null}; none for a missing file */
        static OwnerLock tryTake(Path file) throws IOException {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            } catch (java.nio.file.NoSuchFileException e) {
                return new OwnerLock(null, null, null); // an older version's staging: no owner to wait for
            }
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    return null;
                }
                return new OwnerLock(null, channel, lock);
            } catch (OverlappingFileLockException heldHere) {
                channel.close();
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
