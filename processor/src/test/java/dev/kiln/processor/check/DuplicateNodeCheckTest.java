package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/DuplicateNode: an overload of a node's method, on the second declaration. */
class DuplicateNodeCheckTest {
    @Test
    void overload() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 8)
                    Tensor h(Tensor x);

                    @Dense(units = 8)
                    Tensor h(Tensor x, Tensor z);

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor h);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "h(Tensor x, Tensor z)",
                "[kiln/DuplicateNode] node 'h' is declared twice, but a node's name is what its consumers' parameters"
                        + " refer to, so each name is used once. Rename this one, e.g. 'h2'.");
    }
}
