package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/LossMismatch: a loss that cannot work on its output, on the loss value. */
class LossMismatchCheckTest {
    static String model(String output, String loss) {
        return """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 64)
                    Tensor pixels();

                    %s
                    @Output(loss = Loss.%s)
                    Tensor digit(Tensor pixels);
                }
                """.formatted(output, loss);
    }

    /** javac puts the caret of an enum constant {@code Loss.X} on its dot. */
    static void assertOnly(String source, String text) {
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, ".%s)".formatted(source.replaceAll("(?s).*Loss\\.(\\w+)\\).*", "$1")), text);
    }

    @Test
    void sparseCrossEntropyOnALinearOutput() {
        assertOnly(model("@Dense(units = 10)", "SPARSE_CATEGORICAL_CROSSENTROPY"),
                "[kiln/LossMismatch] sparse_categorical_crossentropy needs probabilities, but output 'digit' ends in"
                        + " LINEAR and can leave [0, 1]. End it in activation = SOFTMAX, declare its values logits with"
                        + " @Output(fromLogits = true), or choose a regression loss such as MEAN_SQUARED_ERROR.");
    }

    /** The activation is found through a Dropout. */
    @Test
    void binaryCrossEntropyOnReluThroughDropout() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 64)
                    Tensor pixels();

                    @Dense(units = 1, activation = Activation.RELU)
                    Tensor score(Tensor pixels);

                    @Dropout(rate = 0.1)
                    @Output(loss = Loss.BINARY_CROSSENTROPY)
                    Tensor digit(Tensor score);
                }
                """;
        assertOnly(source, "[kiln/LossMismatch] binary_crossentropy needs probabilities, but output 'digit' ends in RELU"
                + " and can leave [0, 1]. End it in activation = SIGMOID, declare its values logits with"
                + " @Output(fromLogits = true), or choose a regression loss such as MEAN_SQUARED_ERROR.");
    }

    @Test
    void sparseCrossEntropyOverOneUnit() {
        assertOnly(model("@Dense(units = 1, activation = Activation.SIGMOID)", "SPARSE_CATEGORICAL_CROSSENTROPY"),
                "[kiln/LossMismatch] sparse_categorical_crossentropy picks one of several classes, but output 'digit'"
                        + " has 1. Give it one unit per class, or use BINARY_CROSSENTROPY with a sigmoid for a yes/no"
                        + " output.");
    }

    @Test
    void softmaxOverOneUnit() {
        assertOnly(model("@Dense(units = 1, activation = Activation.SOFTMAX)", "BINARY_CROSSENTROPY"),
                "[kiln/LossMismatch] binary_crossentropy on output 'digit' sees a softmax over 1 unit, which is always"
                        + " 1, so the loss never changes and nothing trains. For a yes/no output end 'digit' in"
                        + " activation = SIGMOID with BINARY_CROSSENTROPY; for classes give it one unit per class.");
    }

    @Test
    void categoricalCrossEntropyOverOneSigmoid() {
        assertOnly(model("@Dense(units = 1, activation = Activation.SIGMOID)", "CATEGORICAL_CROSSENTROPY"),
                "[kiln/LossMismatch] categorical_crossentropy on output 'digit' sees 1 unit renormalized to sum to 1,"
                        + " which is always 1, so the loss never changes and nothing trains. For a yes/no output end"
                        + " 'digit' in activation = SIGMOID with BINARY_CROSSENTROPY; for classes give it one unit per"
                        + " class.");
    }
}
