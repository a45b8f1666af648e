package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/NotTensor: a parameter or return type that is not Tensor, on the parameter or the method. */
class NotTensorCheckTest {
    @Test
    void parameter() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 1)
                    @Output
                    Tensor y(int x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "x);",
                "[kiln/NotTensor] parameter 'x' of 'y' is int, but a node's parameters name the nodes it consumes and"
                        + " must be Tensor. Declare it as 'Tensor x'.");
    }

    @Test
    void returnType() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 1)
                    @Output
                    float[] y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "y(Tensor x)",
                "[kiln/NotTensor] node 'y' returns float[], but every node returns Tensor. Declare it as 'Tensor"
                        + " y(...)'.");
    }
}
