package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Test helper for diagnostics: compiles one model source with the real processor and asserts where and what javac
 * reports. Positions are given by a marker, a piece of the source that occurs exactly once: the diagnostic's line and
 * column must be where the marker starts, so a test reads "the caret is on {@code 0)}".
 */
public final class Diagnosed {
    private Diagnosed() {
    }

    public static Compilation compile(String qualifiedName, String source) {
        return ModelCompiler.compile(qualifiedName, source);
    }

    /** Every error and warning of the compilation (javac's own included). */
    public static List<Diagnostic<? extends JavaFileObject>> all(Compilation c) {
        return c.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                        || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                .<Diagnostic<? extends JavaFileObject>>map(d -> d)
                .toList();
    }

    /** The one diagnostic of the compilation: a single cause gives a single message. */
    public static Diagnostic<? extends JavaFileObject> only(Compilation c) {
        List<Diagnostic<? extends JavaFileObject>> all = all(c);
        assertEquals(1, all.size(), () -> "expected exactly one diagnostic, got " + all);
        return all.get(0);
    }

    /** Asserts kind, full text, and that line and column are where {@code marker} starts in {@code source}. */
    public static void assertAt(Diagnostic<? extends JavaFileObject> d, Diagnostic.Kind kind, String source,
            String marker, String text) {
        assertEquals(kind, d.getKind(), d::toString);
        assertEquals(text, d.getMessage(Locale.ROOT));
        long[] at = position(source, marker);
        assertEquals(at[0], d.getLineNumber(), () -> "line of " + d);
        assertEquals(at[1], d.getColumnNumber(), () -> "column of " + d + " (expected at '" + marker + "')");
    }

    /**
     * Compiles {@code source} ({@code demo.Net}), which must fail with exactly one diagnostic, an error of {@code text}
     * where {@code marker} starts.
     */
    public static void assertOnlyError(String source, String marker, String text) {
        Compilation c = compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, marker, text);
        assertEquals(Compilation.Status.FAILURE, c.status());
    }

    /** Line and column (both from 1) where {@code marker}, which must occur once, starts. */
    public static long[] position(String source, String marker) {
        int i = source.indexOf(marker);
        assertTrue(i >= 0, () -> "marker not in source: " + marker);
        assertEquals(-1, source.indexOf(marker, i + 1), () -> "marker occurs twice: " + marker);
        long line = 1;
        int lineStart = 0;
        for (int k = 0; k < i; k++) {
            if (source.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        return new long[] {line, i - lineStart + 1};
    }
}
