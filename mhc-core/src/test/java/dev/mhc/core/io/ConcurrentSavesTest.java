package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves into one directory at once, from several processes and from several threads, into a
 * directory that holds files of its own: every unrelated file survives, the final save is one
 * writer's whole save, nothing of a writer's is left behind; and the targets a swap must never take.
 */
class ConcurrentSavesTest {

    private static final Set<String> OWNED = Set.of("config.json", "weights.bin");
    private static final int UNRELATED = 3000;

    @TempDir Path tmp;

    /** The child: saves {@code saves} times as writer {@code id}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            save(dir, args[1] + "-" + i);
        }
    }

    private static void save(Path dir, String writer) throws IOException {
        AtomicDirectory.replace(dir, OWNED, staging -> {
            Files.writeString(staging.resolve("config.json"), writer);
            Files.write(staging.resolve("weights.bin"), (writer + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void processesSavingAtOnceLoseNothing() throws Exception {
        Path dir = withUnrelatedFiles();
        for (int round = 0; round < 3; round++) {
            List<Process> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), ConcurrentSavesTest.class.getName(),
                        dir.toString(), "p" + round + "." + w, "5").redirectErrorStream(true).start());
            }
            for (Process writer : writers) {
                assertTrue(writer.waitFor(2, TimeUnit.MINUTES), "a writer hung");
                String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, writer.exitValue(), "a writer failed: " + output);
            }
            assertWhole(dir);
        }
    }

    @Test
    void threadsSavingAtOnceLoseNothing() throws Exception {
        Path dir = withUnrelatedFiles();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> saves = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                String writer = "t" + t;
                saves.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        save(dir, writer + "-" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> save : saves) {
                save.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertWhole(dir);
    }

    @Test
    void aSetAsideCopyIsReadOnlyWhenItsJournalSaysASwapStopped() throws IOException {
        Path dir = tmp.resolve("ghost");
        save(dir, "first");
        // A crash between the two renames: the journal names the set-aside copy, the directory is gone.
        Path aside = tmp.resolve(".ghost.old-crash");
        Files.move(dir, aside);
        Files.writeString(tmp.resolve(".ghost.swap"), aside.getFileName().toString());
        assertEquals(aside, AtomicDirectory.forReading(dir));
        save(dir, "second"); // recovers: carries over from the set-aside copy, then removes it
        assertEquals("second", Files.readString(AtomicDirectory.forReading(dir).resolve("config.json")));
        assertFalse(Files.exists(aside));
        assertFalse(Files.exists(tmp.resolve(".ghost.swap")));

        // A set-aside copy no journal names (the directory was deleted by hand) is never read.
        Path other = tmp.resolve("other");
        save(other, "only");
        Files.move(other, tmp.resolve(".other.old-stray"));
        assertEquals(other, AtomicDirectory.forReading(other));
    }

    @Test
    void aSwapNeverTakesTheWorkingDirectoryTheRootOrAnEmptyPath() throws IOException {
        Path working = Path.of("").toAbsolutePath();
        for (Path bad : List.of(Path.of(""), Path.of("."), working, working.getParent(), working.getRoot())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> save(bad, "x"), bad.toString());
            assertTrue(e.getMessage().contains("working directory") || e.getMessage().contains("empty")
                    || e.getMessage().contains("root"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> AtomicDirectory.checkWritable(bad));
        }
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        IllegalArgumentException notDir = assertThrows(IllegalArgumentException.class,
                () -> AtomicDirectory.checkWritable(file));
        assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
        IllegalArgumentException under = assertThrows(IllegalArgumentException.class,
                () -> AtomicDirectory.checkWritable(file.resolve("out")));
        assertTrue(under.getMessage().contains("not a directory"), under.getMessage());
        AtomicDirectory.checkWritable(tmp.resolve("new/nested/out"));
    }

    private Path withUnrelatedFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        for (int i = 0; i < UNRELATED; i++) {
            Files.writeString(dir.resolve("unrelated-" + i + ".txt"), Integer.toString(i));
        }
        return dir;
    }

    /** Every unrelated file, and one writer's whole save; nothing else beside the directory but its lock. */
    private void assertWhole(Path dir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        for (int i = 0; i < UNRELATED; i++) {
            assertTrue(names.contains("unrelated-" + i + ".txt"), "lost unrelated-" + i + ".txt");
            assertEquals(Integer.toString(i), Files.readString(dir.resolve("unrelated-" + i + ".txt")));
        }
        assertEquals(UNRELATED + OWNED.size(), names.size(), "entries: " + names.descendingSet().stream().limit(5).toList());
        String writer = Files.readString(dir.resolve("config.json"));
        assertEquals((writer + "\n").repeat(2000), Files.readString(dir.resolve("weights.bin")), "one writer's save");
        try (Stream<Path> siblings = Files.list(dir.getParent())) {
            assertEquals(List.of(".shared.lock", "shared"),
                    siblings.map(p -> p.getFileName().toString()).sorted().toList(), "what saves leave beside it");
        }
    }
}
