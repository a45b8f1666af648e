package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.processor.ModelCompiler;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Softmax}: along the last axis it is a softmax for the loss checks and is fused with a cross-entropy; along
 * another axis it normalizes that axis; an axis outside the input is an error on the attribute.
 */
class SoftmaxLayerTest {
    private static final String CLASSIFIER = """
            package soft;
            import dev.kiln.dsl.*;
            @Model interface Classifier {
                @Input(shape = 6) Tensor x();
                @Dense(units = 4) Tensor logits(Tensor x);
                @Softmax @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor probs(Tensor logits);
            }
            """;
    private static Compilation compilation;
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        String[] sources = {"soft.Classifier", CLASSIFIER, "soft.Columns", """
                package soft;
                import dev.kiln.dsl.*;
                @Model interface Columns {
                    @Input(shape = {2, 3}) Tensor x();
                    @Softmax(axis = 1) @Output Tensor y(Tensor x);
                }
                """, "soft.Middle", """
                package soft;
                import dev.kiln.dsl.*;
                @Model interface Middle {
                    @Input(shape = {3, 4, 2}) Tensor x();
                    @Dense(units = 2) Tensor h(Tensor x);
                    @Softmax(axis = 2) Tensor s(Tensor h);
                    @Flatten Tensor f(Tensor s);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor f);
                }
                """};
        compilation = ModelCompiler.compile(sources);
        loader = LayerTesting.compile(sources);
    }

    @Test
    void lastAxisValues() {
        var model = LayerTesting.model(loader, "soft.ClassifierModel");
        // softmax([1, 2, 3, 4]) = exp(i) / sum
        double sum = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4);
        double[] expected = {Math.exp(1) / sum, Math.exp(2) / sum, Math.exp(3) / sum, Math.exp(4) / sum};
        var w = model.getWeights();
        w.get("logits/kernel").assign(0);
        w.get("logits/bias").assign(org.nd4j.linalg.factory.Nd4j.create(new double[] {1, 2, 3, 4}));
        model.setWeights(w);
        assertArrayEquals(expected, LayerTesting.predictOne(model, new double[6], 6), 1e-15);
    }

    @Test
    void axisOneNormalizesEachColumnOfASample() {
        double[] y = LayerTesting.predictOne(LayerTesting.model(loader, "soft.ColumnsModel"),
                new double[] {0, 1, 2, 0, 1, 3}, 2, 3);
        double e = 1 / (1 + Math.exp(1)); // softmax([0, 1]) = [1 - s, s] with s = e / (1 + e)
        assertArrayEquals(new double[] {0.5, 0.5, e, 0.5, 0.5, 1 - e}, y, 1e-15);
    }

    @Test
    void fusedWithTheCrossEntropyOnTheLastAxis() {
        String generated = ModelCompiler.generatedSource(compilation, "soft.ClassifierModel");
        assertTrue(generated.contains("the loss gave the gradient before the softmax"), generated);
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "soft.ClassifierModel"), "Softmax fused");
    }

    @Test
    void gradientsAlongAMiddleAxis() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "soft.MiddleModel"), "Softmax(axis = 2)");
    }

    @Test
    void anAxisOutsideTheInputIsAnErrorOnTheAttribute() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {2, 3}) Tensor x();
                    @Softmax(axis = 3) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "3)", "[kiln/IllegalAttribute] Softmax 'y'"
                + " has axis = 3, but its input 'x' of shape (2, 3) has axes 1 to 2 (0 is the batch; -1 the last axis)."
                + " Use e.g. @Softmax(axis = -1).");
    }
}
