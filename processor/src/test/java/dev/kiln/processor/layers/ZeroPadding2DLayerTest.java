package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @ZeroPadding2D}: zeros on each side as written, gradients, a bad padding. */
class ZeroPadding2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("zeropad.Sides", """
                package zeropad;
                import dev.kiln.dsl.*;
                @Model interface Sides {
                    @Input(shape = {1, 2, 1}) Tensor x();
                    @ZeroPadding2D(padding = {1, 0, 0, 2}) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """, "zeropad.Trained", """
                package zeropad;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = {3, 2, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @ZeroPadding2D Tensor p(Tensor h);
                    @ZeroPadding2D(padding = {2, 1}) Tensor q(Tensor h);
                    @Flatten Tensor fp(Tensor p);
                    @Flatten Tensor fq(Tensor q);
                    @Concatenate Tensor cat(Tensor fp, Tensor fq);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    @Test
    void zerosAsWritten() {
        // one row on top, two columns on the right: (1, 2) -> (2, 4)
        assertArrayEquals(new double[] {0, 0, 0, 0, 5, 6, 0, 0}, LayerTesting.predictOne(LayerTesting.model(loader,
                "zeropad.SidesModel"), new double[] {5, 6}, 1, 2, 1), 0);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "zeropad.TrainedModel"), "ZeroPadding2D");
    }

    @Test
    void threePaddingsAreAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 4, 1}) Tensor x();
                    @ZeroPadding2D(padding = {1, 2, 3}) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "{1, 2, 3}", "[kiln/IllegalAttribute]"
                + " ZeroPadding2D 'p' has padding = [1, 2, 3], but takes one amount for every side, two {rows,"
                + " columns} or four {top, bottom, left, right}, none negative.");
    }
}
