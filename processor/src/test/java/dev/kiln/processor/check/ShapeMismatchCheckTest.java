package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * kiln/ShapeMismatch: connected nodes whose shapes do not fit, on the parameter that connects them, with the path of
 * producers and their shapes between headline and fix (javac prints the source line and caret under the headline).
 */
class ShapeMismatchCheckTest {
    @Test
    void denseOnAnOpenLastAxis() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Seq {
                    @Input(shape = {16, Input.NONE})
                    Tensor x();

                    @ActivationLayer(Activation.TANH)
                    Tensor squashed(Tensor x);

                    @Dense(units = 4)
                    @Output
                    Tensor y(Tensor squashed);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Seq", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "squashed);",
                "[kiln/ShapeMismatch] Dense 'y' acts on the last axis of 'squashed', but its shape (16, None) leaves"
                        + " that axis open.\n"
                        + "      x         @Input(shape = {16, Input.NONE})        (16, None)\n"
                        + "      squashed  @ActivationLayer(TANH)            <- x  (16, None)\n"
                        + "  Give the input a fixed last axis, e.g. @Input(shape = {Input.NONE, 16}).");
    }
}
