package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/NoInput: a model without an @Input, or without any node, on the interface. */
class NoInputCheckTest {
    @Test
    void noInput() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        var all = Diagnosed.all(c);
        // 'x' is named but not declared: that is said too, on the parameter
        org.junit.jupiter.api.Assertions.assertEquals(2, all.size(), all::toString);
        assertAt(all.get(0), Diagnostic.Kind.ERROR, source, "x);",
                "[kiln/UnknownInput] 'y' consumes 'x', but the model has no node of that name. A parameter's name says"
                        + " which node feeds it.");
        assertAt(all.get(1), Diagnostic.Kind.ERROR, source, "interface Net",
                "[kiln/NoInput] model 'Net' has no @Input, so nothing can feed it. Declare one, e.g. '@Input(shape = 32)"
                        + " Tensor x();'.");
    }

    @Test
    void noNodes() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Empty {
                }
                """;
        Compilation c = Diagnosed.compile("demo.Empty", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "interface Empty",
                "[kiln/NoInput] model 'Empty' declares no nodes. Add an input and a layer, e.g. '@Input(shape = 32)"
                        + " Tensor x();' and '@Dense(units = 1) @Output Tensor y(Tensor x);'.");
    }
}
