package dev.kiln.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** kiln/Option: a -Akiln.* value that is not a boolean is a warning without a position, and its default stays. */
class OptionCheckTest {
    @Test
    void notABoolean() {
        Compilation c = javac().withProcessors(new KilnProcessor()).withOptions("-Akiln.dot=maybe")
                .compile(JavaFileObjects.forSourceString("demo.Net", SeedExampleTest.SOURCE));
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        List<? extends Diagnostic<?>> all = Diagnosed.all(c);
        assertEquals(1, all.size(), all::toString);
        Diagnostic<?> d = all.get(0);
        assertEquals(Diagnostic.Kind.WARNING, d.getKind());
        assertEquals(Diagnostic.NOPOS, d.getLineNumber());
        assertEquals("[kiln/Option] -Akiln.dot=maybe is not understood: use -Akiln.dot=true or -Akiln.dot=false. Kiln"
                + " uses true.", d.getMessage(Locale.ROOT));
        assertTrue(c.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/demo.FirstNetwork.dot")
                .isPresent());
    }
}
