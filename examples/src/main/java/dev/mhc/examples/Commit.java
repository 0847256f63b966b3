package dev.mhc.examples;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The commit of the code that ran, for resolved configs: that of the checkout this program's own
 * classes were built in (not of the directory the command runs in), or a word saying there is none.
 */
public final class Commit {

    public static final String UNKNOWN = "unknown: this program does not run from a git checkout";

    private Commit() {}

    /** @return HEAD's hash, with "-dirty" when tracked files have changes; or {@link #UNKNOWN} */
    public static String current() {
        Path checkout = checkout();
        if (checkout == null) {
            return UNKNOWN;
        }
        String head = git(checkout, "rev-parse", "HEAD");
        if (head == null || head.isEmpty()) {
            return UNKNOWN;
        }
        String changes = git(checkout, "status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + "-dirty";
    }

    /** The nearest directory holding {@code .git} above where this class was loaded from. */
    private static Path checkout() {
        try {
            Path code = Path.of(Commit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.exists(dir.resolve(".git"))) {
                    return dir;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
        return null;
    }

    private static String git(Path checkout, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = checkout.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
