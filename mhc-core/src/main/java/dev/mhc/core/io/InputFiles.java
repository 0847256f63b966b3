package dev.mhc.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks on a file before it is opened: a named pipe would block the reader forever, a directory
 * fails with an error naming no file, and a symbolic link may lead out of the checkpoint.
 */
public final class InputFiles {

    private InputFiles() {}

    /**
     * @param what what the file is, for the message ("shard", "config.json")
     * @return {@code file}, a regular file (after following links)
     * @throws NoSuchFileException if it does not exist
     * @throws IOException naming the file and what it is instead
     */
    public static Path regular(Path file, String what) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, what + " is missing");
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a directory" : attributes.isOther()
                    ? "a named pipe, socket or device" : "not a regular file";
            throw new IOException(file + " is " + kind + ", but the " + what
                    + " must be a regular file (a pipe or device would be read forever; copy the data into a file)");
        }
        return file;
    }

    /**
     * Requires {@code file}, with every symbolic link resolved, to lie inside {@code root}. A
     * checkpoint inside a Hugging Face hub cache ({@code models--ORG--NAME/snapshots/REV/}) links
     * each file to {@code models--ORG--NAME/blobs/}: there the whole {@code models--} folder counts.
     *
     * @return the file's real path
     */
    public static Path inside(Path file, Path root, String what) throws IOException {
        Path real = regular(file, what).toRealPath();
        Path realRoot = hubRepository(root.toRealPath());
        if (!real.startsWith(realRoot)) {
            throw new IOException(file + ": the " + what + " leads to " + real + ", outside " + realRoot
                    + "; a checkpoint's files must stay inside its directory (copy the file in instead of linking it)");
        }
        return real;
    }

    private static Path hubRepository(Path dir) {
        Path snapshots = dir.getParent();
        Path repository = snapshots == null ? null : snapshots.getParent();
        boolean inHubCache = repository != null && repository.getFileName() != null
                && "snapshots".equals(snapshots.getFileName().toString())
                && repository.getFileName().toString().startsWith("models--");
        return inHubCache ? repository : dir;
    }
}
