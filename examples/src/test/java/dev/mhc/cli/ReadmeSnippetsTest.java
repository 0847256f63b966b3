package dev.mhc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in README.md and docs/*.md compiles against the project: each becomes the body of a
 * method whose parameters are the names the snippets use without declaring them. Snippets that
 * begin "// Runs as written" (the tour) declare everything and are also run, in order.
 */
class ReadmeSnippetsTest {

    private static final String PREAMBLE = """
            import ai.djl.ndarray.*;
            import ai.djl.nn.Block;
            import dev.mhc.core.inject.Mhc;
            import java.nio.file.Path;
            import java.util.*;
            """;

    private static final String RUNS_AS_WRITTEN = "// Runs as written";

    private static final String PARAMETERS = "Block model, Block freshModel, Path dir, Path outDir,"
            + " dev.mhc.viz.MixingSnapshot epoch1, dev.mhc.viz.MixingSnapshot epoch2";

    /** The Java snippets of README.md (its tour first, in order) and of every page under docs/. */
    private static List<String> snippets() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (java.util.stream.Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> found = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(page));
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    @Test
    void everyJavaSnippetCompiles() throws Exception {
        List<String> snippets = snippets();
        assertFalse(snippets.isEmpty(), "README.md has Java snippets");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            StringBuilder imports = new StringBuilder(PREAMBLE);
            StringBuilder body = new StringBuilder();
            for (String line : snippets.get(i).split("\n")) {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            String name = "Snippet" + i;
            // A snippet that runs as written declares what it uses: it gets no parameters, and is run.
            String parameters = snippets.get(i).startsWith(RUNS_AS_WRITTEN) ? "" : PARAMETERS;
            String source = imports + "public class " + name + " {\n  public static void run(" + parameters
                    + ") throws Exception {\n" + body + "  }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("readme-snippets");
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(),
                "-proc:none");
        StringWriter log = new StringWriter();
        boolean ok = compiler.getTask(log, null, diagnostics, options, null, sources).call();
        StringBuilder errors = new StringBuilder();
        diagnostics.getDiagnostics().forEach(d -> errors.append(d.getSource() == null ? "" : d.getSource().getName())
                .append(':').append(d.getLineNumber()).append(' ').append(d.getMessage(Locale.ROOT)).append('\n'));
        assertTrue(ok, "README snippets do not compile:\n" + errors);

        int ran = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            for (int i = 0; i < snippets.size(); i++) {
                if (snippets.get(i).startsWith(RUNS_AS_WRITTEN)) {
                    loader.loadClass("Snippet" + i).getMethod("run").invoke(null);
                    ran++;
                }
            }
        } catch (InvocationTargetException e) {
            throw new AssertionError("a README snippet marked \"" + RUNS_AS_WRITTEN + "\" fails as written", e.getCause());
        }
        assertTrue(ran >= 1, "the tour is marked to run as written");
    }
}
