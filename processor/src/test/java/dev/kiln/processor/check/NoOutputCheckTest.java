package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/NoOutput: a model without an @Output, on the interface, naming the last node; no unused-node warnings. */
class NoOutputCheckTest {
    @Test
    void noOutput() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 8, activation = Activation.RELU)
                    Tensor hidden(Tensor x);

                    @Dense(units = 1)
                    Tensor score(Tensor hidden);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "interface Net",
                "[kiln/NoOutput] model 'Net' has no @Output, so it computes nothing anyone can read. Mark the result"
                        + " node, e.g. @Output on 'score'.");
    }
}
