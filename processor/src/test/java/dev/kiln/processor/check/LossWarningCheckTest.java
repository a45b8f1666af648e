package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/LossWarning: a loss that works but is almost always a mistake, on the loss value; it still compiles. */
class LossWarningCheckTest {
    static String model(String suppress, String activation, String loss) {
        return """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 64)
                    Tensor pixels();

                    %s
                    @Dense(units = 10, activation = Activation.%s)
                    @Output(loss = Loss.%s)
                    Tensor digit(Tensor pixels);
                }
                """.formatted(suppress, activation, loss);
    }

    @Test
    void binaryCrossEntropyOverASoftmaxOfTenClasses() {
        String source = model("", "SOFTMAX", "BINARY_CROSSENTROPY");
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        assertAt(only(c), Diagnostic.Kind.WARNING, source, ".BINARY_CROSSENTROPY)",
                "[kiln/LossWarning] binary_crossentropy on a softmax over 10 classes in output 'digit' treats each class"
                        + " as its own yes/no question; for one class per sample use CATEGORICAL_CROSSENTROPY (one-hot"
                        + " targets) or SPARSE_CATEGORICAL_CROSSENTROPY (class ids).");
    }

    @Test
    void categoricalCrossEntropyOverSigmoids() {
        String source = model("", "SIGMOID", "SPARSE_CATEGORICAL_CROSSENTROPY");
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        assertAt(only(c), Diagnostic.Kind.WARNING, source, ".SPARSE_CATEGORICAL_CROSSENTROPY)",
                "[kiln/LossWarning] sparse_categorical_crossentropy on output 'digit' expects one distribution over 10"
                        + " classes, but its SIGMOID outputs do not sum to 1. End 'digit' in activation = SOFTMAX for one"
                        + " class per sample, or use BINARY_CROSSENTROPY for independent yes/no labels.");
    }

    @Test
    void suppressedOnTheNode() {
        Compilation c = Diagnosed.compile("demo.Net",
                model("@SuppressWarnings(\"kiln/LossWarning\")", "SOFTMAX", "BINARY_CROSSENTROPY"));
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        assertEquals(0, Diagnosed.all(c).size(), () -> Diagnosed.all(c).toString());
    }
}
