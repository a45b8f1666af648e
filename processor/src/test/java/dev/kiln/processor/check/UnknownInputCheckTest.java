package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/UnknownInput: a parameter that names no node, on the parameter, with the closest name offered. */
class UnknownInputCheckTest {
    @Test
    void suggestsTheClosestNameOnTheParameter() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 32)
                    Tensor features();

                    @Dense(units = 10)
                    @Output
                    Tensor logits(Tensor featuers);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "featuers)",
                "[kiln/UnknownInput] 'logits' consumes 'featuers', but the model has no node of that name; did you mean"
                        + " 'features'? A parameter's name says which node feeds it.");
    }

    @Test
    void noSuggestionWhenNothingIsClose() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 32)
                    Tensor x();

                    @Dense(units = 10)
                    @Output
                    Tensor y(Tensor pixels);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        // 'x' now feeds nothing, but that follows from the typo: no kiln/UnusedNode warning on top
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "pixels)",
                "[kiln/UnknownInput] 'y' consumes 'pixels', but the model has no node of that name. A parameter's name"
                        + " says which node feeds it.");
    }
}
