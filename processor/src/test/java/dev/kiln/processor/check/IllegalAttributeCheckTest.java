package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/IllegalAttribute: a value outside its range, with the caret on the value; nothing downstream. */
class IllegalAttributeCheckTest {
    static String model(String input, String hidden, String output) {
        return """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    %s
                    Tensor x();

                    %s
                    Tensor hidden(Tensor x);

                    @Dense(units = 3, activation = Activation.SOFTMAX)
                    %s
                    Tensor y(Tensor hidden);
                }
                """.formatted(input, hidden, output);
    }

    static void assertOnly(String source, String marker, String text) {
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, marker, text);
    }

    @Test
    void unitsNotPositive() {
        assertOnly(model("@Input(shape = 4)", "@Dense(units = 0)", "@Output"), "0)",
                "[kiln/IllegalAttribute] Dense 'hidden' has units = 0, but a layer needs at least one unit. Use a"
                        + " positive width, e.g. @Dense(units = 64).");
    }

    @Test
    void dropoutRateOne() {
        assertOnly(model("@Input(shape = 4)", "@Dropout(rate = 1.0)", "@Output"), "1.0)",
                "[kiln/IllegalAttribute] Dropout 'hidden' has rate = 1.0, but the rate is the fraction of inputs dropped"
                        + " and must lie in [0, 1). Use e.g. @Dropout(rate = 0.5).");
    }

    @Test
    void dropoutRateNegative() {
        assertOnly(model("@Input(shape = 4)", "@Dropout(rate = -0.25)", "@Output"), "-0.25)",
                "[kiln/IllegalAttribute] Dropout 'hidden' has rate = -0.25, but the rate is the fraction of inputs"
                        + " dropped and must lie in [0, 1). Use e.g. @Dropout(rate = 0.5).");
    }

    @Test
    void emptyShape() {
        assertOnly(model("@Input(shape = {})", "@Dense(units = 8)", "@Output"), "{})",
                "[kiln/IllegalAttribute] input 'x' has an empty shape. Give the shape of one sample without the batch"
                        + " axis, e.g. @Input(shape = 32) or @Input(shape = {28, 28, 1}).");
    }

    /** The caret is on the bad axis inside the array, not on the array. */
    @Test
    void nonPositiveAxis() {
        assertOnly(model("@Input(shape = {28, -3, 1})", "@Dense(units = 8)", "@Output"), "-3, 1}",
                "[kiln/IllegalAttribute] input 'x' has axis length -3 in @Input(shape = {28, -3, 1}), but every axis is"
                        + " positive, or Input.NONE for one only known at run time. Use e.g. @Input(shape = 32).");
    }

    @Test
    void negativeLossWeight() {
        assertOnly(model("@Input(shape = 4)", "@Dense(units = 8)",
                "@Output(loss = Loss.CATEGORICAL_CROSSENTROPY, lossWeight = -1)"), "-1)",
                "[kiln/IllegalAttribute] output 'y' has lossWeight = -1.0, but a loss weight scales the loss and must be"
                        + " a finite number >= 0. Use e.g. @Output(lossWeight = 0.5).");
    }

    /** NaN would have been written into the generated class as a name that does not exist. */
    @Test
    void lossWeightNotANumber() {
        assertOnly(model("@Input(shape = 4)", "@Dense(units = 8)", "@Output(lossWeight = Double.NaN)"), ".NaN)",
                "[kiln/IllegalAttribute] output 'y' has lossWeight = NaN, but a loss weight scales the loss and must be"
                        + " a finite number >= 0. Use e.g. @Output(lossWeight = 0.5).");
    }

    /** Two independent mistakes are both reported in one compile, each on its own value. */
    @Test
    void everyProblemInOneCompile() {
        String source = model("@Input(shape = 0)", "@Dense(units = -5)", "@Output(lossWeight = -2)");
        Compilation c = Diagnosed.compile("demo.Net", source);
        var all = Diagnosed.all(c);
        org.junit.jupiter.api.Assertions.assertEquals(3, all.size(), all::toString);
        assertAt(all.get(0), Diagnostic.Kind.ERROR, source, "0)",
                "[kiln/IllegalAttribute] input 'x' has axis length 0 in @Input(shape = 0), but every axis is positive,"
                        + " or Input.NONE for one only known at run time. Use e.g. @Input(shape = 32).");
        assertAt(all.get(1), Diagnostic.Kind.ERROR, source, "-5)",
                "[kiln/IllegalAttribute] Dense 'hidden' has units = -5, but a layer needs at least one unit. Use a"
                        + " positive width, e.g. @Dense(units = 64).");
        assertAt(all.get(2), Diagnostic.Kind.ERROR, source, "-2)",
                "[kiln/IllegalAttribute] output 'y' has lossWeight = -2.0, but a loss weight scales the loss and must be"
                        + " a finite number >= 0. Use e.g. @Output(lossWeight = 0.5).");
    }
}
