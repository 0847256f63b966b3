package dev.mhc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * No main source calls NDArray's arithmetic with a {@code Number} operand whose scalar autograd
 * keeps (mul, div, pow, maximum, minimum and their in-place forms): on DJL's PyTorch engine that
 * scalar's memory can be freed before the backward pass (see {@code dev.mhc.core.nn.Scalars}).
 * The sources are compiled with types resolved, so a variable operand is caught as well as a
 * literal one.
 */
class ScalarOperandsTest {

    private static final Set<String> SAVED_BY_AUTOGRAD =
            Set.of("mul", "div", "pow", "maximum", "minimum", "muli", "divi", "powi", "mod", "modi");

    @Test
    void noArithmeticWithANumberOperand() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<Path> sources = new ArrayList<>();
        for (String module : List.of("mhc-core", "mhc-hf", "mhc-viz", "examples")) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertTrue(sources.size() > 100, "found the main sources: " + sources.size());
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> found = new ArrayList<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
            JavacTask task = (JavacTask) compiler.getTask(null, files, null,
                    List.of("-classpath", System.getProperty("java.class.path"), "-proc:none"), null,
                    files.getJavaFileObjectsFromPaths(sources));
            Iterable<? extends CompilationUnitTree> units = task.parse();
            task.analyze();
            Trees trees = Trees.instance(task);
            for (CompilationUnitTree unit : units) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                        Element method = trees.getElement(getCurrentPath());
                        if (method instanceof ExecutableElement e && isNumberArithmetic(e)) {
                            long line = unit.getLineMap().getLineNumber(
                                    trees.getSourcePositions().getStartPosition(unit, call));
                            found.add(root.relativize(Path.of(unit.getSourceFile().toUri())) + ":" + line + " "
                                    + call);
                        }
                        return super.visitMethodInvocation(call, unused);
                    }
                }.scan(unit, null);
            }
        }
        assertEquals(List.of(), found, "use dev.mhc.core.nn.Scalars for arithmetic with a number");
    }

    private static boolean isNumberArithmetic(ExecutableElement method) {
        if (!SAVED_BY_AUTOGRAD.contains(method.getSimpleName().toString()) || method.getParameters().size() != 1
                || !method.getParameters().get(0).asType().toString().equals("java.lang.Number")) {
            return false;
        }
        String owner = ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
        return owner.startsWith("ai.djl.");
    }
}
