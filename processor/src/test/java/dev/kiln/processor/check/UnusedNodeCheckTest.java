package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * kiln/UnusedNode: one warning per dead end, on the node nothing consumes, naming the unused nodes that only lead to
 * it; silenced by {@code @SuppressWarnings}; the model still compiles, without the dead branch.
 */
class UnusedNodeCheckTest {
    static String model(String suppress) {
        return """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 8)
                    Tensor probe(Tensor x);

                    @ActivationLayer(Activation.RELU)
                    Tensor probeRelu(Tensor probe);

                    %s
                    @Dropout(rate = 0.5)
                    Tensor probeDrop(Tensor probeRelu);

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor x);
                }
                """.formatted(suppress);
    }

    @Test
    void oneWarningPerDeadEnd() {
        String source = model("");
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        assertAt(only(c), Diagnostic.Kind.WARNING, source, "probeDrop(",
                "[kiln/UnusedNode] node 'probeDrop' feeds no @Output, so it is computed for nothing (and so are"
                        + " 'probeRelu' and 'probe', which only lead to it). Connect it, mark it @Output, or remove it.");
    }

    @Test
    void suppressed() {
        Compilation c = Diagnosed.compile("demo.Net", model("@SuppressWarnings(\"kiln/UnusedNode\")"));
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        assertEquals(0, Diagnosed.all(c).size(), () -> Diagnosed.all(c).toString());
    }

    @Test
    void anInputThatFeedsNothing() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Input(shape = 2)
                    Tensor extra();

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.WARNING, source, "extra()",
                "[kiln/UnusedNode] node 'extra' feeds no @Output, so it is computed for nothing. Connect it, mark it"
                        + " @Output, or remove it.");
    }
}
