package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/LayerAnnotation: none on a method (on the method), or two (on the second); nothing downstream. */
class LayerAnnotationCheckTest {
    @Test
    void none() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    Tensor hidden(Tensor x);

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor hidden);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "hidden(Tensor x)",
                "[kiln/LayerAnnotation] node 'hidden' has no layer annotation. Say what it computes with exactly one,"
                        + " e.g. @Dense(units = 64) or @Input(shape = 32).");
    }

    @Test
    void two() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 8)
                    @Dropout(rate = 0.5)
                    Tensor hidden(Tensor x);

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor hidden);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "@Dropout",
                "[kiln/LayerAnnotation] node 'hidden' has two layer annotations, @Dense and @Dropout, but a node computes"
                        + " one layer. Split it into two nodes, e.g. 'Tensor hidden2(Tensor hidden)'.");
    }
}
