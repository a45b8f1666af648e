package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** {@code @PReLU}: Keras's {@code alpha} layout (shared axes set to 1), its values and its trained slopes' gradients. */
class PReLULayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("prelu.Images", """
                package prelu;
                import dev.kiln.dsl.*;
                @Model interface Images {
                    @Input(shape = {3, 2, 4}) Tensor x();
                    @Dense(units = 4) Tensor h(Tensor x);
                    @PReLU(sharedAxes = {1, 2}) Tensor p(Tensor h);
                    @Flatten Tensor f(Tensor p);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor f);
                }
                """, "prelu.PerUnit", """
                package prelu;
                import dev.kiln.dsl.*;
                @Model interface PerUnit {
                    @Input(shape = 3) Tensor x();
                    @PReLU @Output Tensor y(Tensor x);
                }
                """, "prelu.Trained", """
                package prelu;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = 5) Tensor x();
                    @Dense(units = 5) Tensor h(Tensor x);
                    @PReLU(alphaInitializer = Initializer.ONES) Tensor p(Tensor h);
                    @Dense(units = 1, activation = Activation.SIGMOID)
                    @Output(loss = Loss.BINARY_CROSSENTROPY) Tensor y(Tensor p);
                }
                """);
    }

    @Test
    void alphaHasKerasLayoutAndCount() {
        var model = LayerTesting.model(loader, "prelu.ImagesModel");
        // Keras: PReLU(shared_axes=[1, 2]) on (3, 2, 4) builds alpha of shape (1, 1, 4)
        assertArrayEquals(new long[] {1, 1, 4}, model.getWeights().get("p/alpha").shape());
        assertEquals((4 * 4 + 4) + 4 + (24 * 2 + 2), model.countParams());
        var perUnit = LayerTesting.model(loader, "prelu.PerUnitModel");
        assertArrayEquals(new long[] {3}, perUnit.getWeights().get("y/alpha").shape());
        assertArrayEquals(new double[] {0, 0, 0}, perUnit.getWeights().get("y/alpha").data().asDouble(), 0,
                "alpha starts at zero, as in Keras");
    }

    @Test
    void eachUnitHasItsOwnSlope() {
        var model = LayerTesting.model(loader, "prelu.PerUnitModel");
        var w = model.getWeights();
        w.put("y/alpha", Nd4j.create(new double[] {0.1, 0.2, 0.3}));
        model.setWeights(w);
        assertArrayEquals(new double[] {-0.2, 4, -0.6}, LayerTesting.predictOne(model, new double[] {-2, 4, -2}, 3),
                1e-15);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "prelu.ImagesModel"), "PReLU(sharedAxes 1, 2)");
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "prelu.TrainedModel"), "PReLU per unit");
    }

    @Test
    void aSharedAxisOutsideTheInputIsAnErrorOnTheAttribute() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {2, 3}) Tensor x();
                    @PReLU(sharedAxes = {0, 1}) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "{0, 1})", "[kiln/IllegalAttribute] PReLU"
                + " 'y' has sharedAxes = [0, 1], but its input 'x' of shape (2, 3) has axes 1 to 2 (0 is the batch),"
                + " each to be shared at most once. For images (h, w, c) use sharedAxes = {1, 2}.");
    }
}
