package dev.mhc.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Saves of several files that replace each other as one unit: a reader finds the old save or the
 * new one, never a mix, whenever the writing process dies.
 *
 * <p>The new files are written into a sibling staging directory {@code .NAME.tmp-ID} and forced
 * to disk; entries of the old directory that the save does not write are carried over (hard
 * links where possible), so a save into a directory that holds other things keeps them. Then the
 * old directory is renamed aside to {@code .NAME.old-ID}, the staging directory renamed to {@code
 * NAME} and the old one deleted. Between the two renames {@code NAME} is absent: {@link
 * #forReading} then answers the complete old copy. Every save first deletes what an earlier,
 * interrupted save left behind.
 */
public final class AtomicDirectory {

    /** Writes the new files into an empty staging directory. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path staging) throws IOException;
    }

    private static final String STAGING = ".tmp-";
    private static final String ASIDE = ".old-";

    private AtomicDirectory() {}

    /**
     * Replaces the files of one save in {@code dir} (created if absent) as one unit.
     *
     * @param owned the names this kind of save may write; those of the old directory that {@code
     *     contents} does not write again are dropped, every other entry is kept
     */
    public static void replace(Path dir, Set<String> owned, Contents contents) throws IOException {
        Path target = resolve(dir);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path previous = forReading(target);
        String id = UUID.randomUUID().toString();
        Path staging = parent.resolve(siblingPrefix(target, STAGING) + id);
        Files.createDirectory(staging);
        try {
            contents.writeInto(staging);
            if (Files.isDirectory(previous)) {
                carryOver(previous, staging, owned);
            }
            syncDirectory(staging);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(staging, e);
            throw e;
        }
        Path aside = null;
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            aside = parent.resolve(siblingPrefix(target, ASIDE) + id);
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            deleteQuietly(staging, null);
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(parent);
        if (aside != null) {
            deleteTree(aside);
        }
        deleteStale(target);
    }

    /**
     * @return {@code dir} when it exists; otherwise, when a save into it was interrupted between
     *     its two renames, the complete old copy set aside; otherwise {@code dir} (absent)
     */
    public static Path forReading(Path dir) throws IOException {
        Path target = resolve(dir);
        if (Files.exists(target) || !Files.isDirectory(target.getParent())) {
            return target;
        }
        String prefix = siblingPrefix(target, ASIDE);
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(Files::isDirectory)
                    .max(Comparator.comparing(AtomicDirectory::modified))
                    .orElse(target);
        }
    }

    private static Path resolve(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        // Replace the directory a link points at, not the link.
        return Files.isSymbolicLink(absolute) ? absolute.toRealPath() : absolute;
    }

    private static String siblingPrefix(Path target, String kind) {
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

    /** Removes staging and set-aside directories of earlier saves into {@code target}. */
    private static void deleteStale(Path target) throws IOException {
        String staging = siblingPrefix(target, STAGING);
        String aside = siblingPrefix(target, ASIDE);
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            siblings.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(staging) || name.startsWith(aside);
            }).forEach(stale::add);
        }
        for (Path p : stale) {
            deleteTree(p);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
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

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
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
}
