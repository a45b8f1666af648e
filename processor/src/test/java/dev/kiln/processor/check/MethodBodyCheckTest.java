package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/MethodBody: a default or static method, on the method; its consumers still know its name. */
class MethodBodyCheckTest {
    @Test
    void defaultMethodConsumedByAnother() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 8)
                    default Tensor hidden(Tensor x) {
                        return null;
                    }

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor hidden);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        // no kiln/UnknownInput on 'y', no kiln/UnusedNode on 'x': one cause, one error
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "hidden(Tensor x)",
                "[kiln/MethodBody] 'hidden' has a body, but every method of a @Model interface declares a node and must"
                        + " be abstract. Remove the body (and 'default'/'static'), or move the helper out of the"
                        + " interface.");
    }

    @Test
    void staticHelper() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor x);

                    static int width() {
                        return 4;
                    }
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "width()",
                "[kiln/MethodBody] 'width' has a body, but every method of a @Model interface declares a node and must"
                        + " be abstract. Remove the body (and 'default'/'static'), or move the helper out of the"
                        + " interface.");
    }
}
