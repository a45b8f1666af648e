package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/NotAnInterface: @Model on a class, enum or record; one error, nothing about its (missing) nodes. */
class NotAnInterfaceCheckTest {
    @Test
    void aClass() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                abstract class Net {
                    @Input(shape = 4)
                    abstract Tensor x();
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "class Net",
                "[kiln/NotAnInterface] @Model goes on an interface, but 'Net' is a class. Declare it as 'interface Net"
                        + " { ... }' with one abstract method per node.");
    }

    @Test
    void anEnum() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                enum Net { A }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "enum Net",
                "[kiln/NotAnInterface] @Model goes on an interface, but 'Net' is an enum. Declare it as 'interface Net"
                        + " { ... }' with one abstract method per node.");
    }
}
