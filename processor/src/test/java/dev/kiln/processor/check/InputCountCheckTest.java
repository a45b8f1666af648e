package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/InputCount: a layer with more or fewer parameters than it takes, on its annotation. */
class InputCountCheckTest {
    @Test
    void denseWithoutInput() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 1)
                    @Output
                    Tensor y();
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "@Dense",
                "[kiln/InputCount] @Dense 'y' takes 1 input(s), but has 0. Name the node it consumes as a parameter,"
                        + " e.g. 'Tensor y(Tensor x)'.");
    }

    @Test
    void inputWithAParameter() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Input(shape = 4)
                    Tensor z(Tensor x);

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor z);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "@Input(shape = 4)\n    Tensor z",
                "[kiln/InputCount] @Input 'z' takes 0 input(s), but has 1. An @Input has no parameters: 'Tensor z()'.");
    }
}
