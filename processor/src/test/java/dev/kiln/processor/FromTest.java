package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @From}: one node fed to a merge twice, Keras's {@code Add()([x, x])}, which Java's one-name-per-parameter rule
 * kept out of the DSL: the values double, both gradient contributions are summed, and a {@code @From} that names no node
 * is reported on that parameter.
 */
class FromTest {
    @Test
    void theSameNodeTwiceIntoAMerge() {
        KilnModel m = LayerTesting.model(LayerTesting.compile("from.Twice", """
                package from;
                import dev.kiln.dsl.*;
                @Model interface Twice {
                    @Input(shape = 3) Tensor in();
                    @Dense(units = 4, activation = Activation.TANH) Tensor x(Tensor in);
                    @Add Tensor doubled(@From("x") Tensor first, @From("x") Tensor second);
                    @Multiply Tensor squared(@From("x") Tensor a, Tensor x);
                    @Concatenate Tensor both(Tensor doubled, Tensor squared);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor both);
                }
                """), "from.TwiceModel");
        INDArray in = Nd4j.rand(DataType.DOUBLE, 5, 3);
        Map<String, INDArray> v = m.predictNodes(Map.of("in", in), "x", "doubled", "squared");
        assertTrue(v.get("x").mul(2).equalsWithEps(v.get("doubled"), 1e-12));
        assertTrue(v.get("x").mul(v.get("x")).equalsWithEps(v.get("squared"), 1e-12));
        LayerTesting.assertGradientsMatch(m, "@From twice");
    }

    @Test
    void aFromThatNamesNoNodeIsReportedOnItsParameter() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4) Tensor x();
                    @Add @Output Tensor y(@From("x") Tensor a, @From("z") Tensor b);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "b);",
                "[kiln/UnknownInput] 'y' consumes 'z', but the model has no node of that name. A parameter's name"
                        + " says which node feeds it.");
        assertEquals(Compilation.Status.FAILURE, c.status());
    }
}
