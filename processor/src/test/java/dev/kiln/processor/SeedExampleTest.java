package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.ReferenceInterpreter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The seed example of the design, exactly: it compiles cleanly, its generated source is pinned, and it predicts. */
class SeedExampleTest {
    static final String SOURCE = """
            package demo;

            import dev.kiln.dsl.*;

            @Model
            interface FirstNetwork {
                @Input(shape = 32)
                Tensor a();

                @Dense(units = 32)
                @Output
                Tensor b(Tensor a);
            }
            """;

    static Compilation compilation;

    @BeforeAll
    static void compile() {
        compilation = ModelCompiler.compile("demo.FirstNetwork", SOURCE);
    }

    @Test
    void compilesWithoutWarnings() {
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics()::toString);
        assertEquals(0, compilation.warnings().size(), compilation.warnings()::toString);
    }

    /** The generated source, as exact text. Set -Dkiln.updateGoldens=true to rewrite it after an intended change. */
    @Test
    void generatedSourceMatchesGolden() throws IOException {
        String actual = ModelCompiler.generatedSource(compilation, "demo.FirstNetworkModel");
        Path golden = Path.of("src/test/resources/goldens/FirstNetworkModel.java.txt");
        if (Boolean.getBoolean("kiln.updateGoldens")) {
            Files.writeString(golden, actual);
        }
        try (InputStream in = getClass().getResourceAsStream("/goldens/FirstNetworkModel.java.txt")) {
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(expected, actual, "generated source changed; review the diff and update the golden");
        }
    }

    @Test
    void predictsLikeTheReferenceInFloat32() throws Exception {
        KilnModel model = ModelCompiler.create(ModelCompiler.loader(compilation), "demo.FirstNetworkModel", 42,
                DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 32);
        Method predict = model.getClass().getMethod("predict", INDArray.class);
        INDArray y = (INDArray) predict.invoke(model, x);
        assertEquals(DataType.FLOAT, y.dataType());
        assertArrayEquals(new long[] {4, 32}, y.shape());
        INDArray expected = new ReferenceInterpreter(model.spec(), model.getWeights()).predict(x)[0];
        assertTrue(expected.equalsWithEps(y, 1e-5), () -> expected + " vs " + y);
        assertEquals(32 * 32 + 32, model.countParams());
        // Keras 3's table for the guide's model (a chain: no "Connected to" column); 4,224 bytes are 4.12 KB in
        // Python's rounding of 4.125
        assertEquals("""
                Model: "FirstNetwork"
                ┏━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┓
                ┃ Layer (type)   ┃ Output Shape ┃ Param # ┃
                ┡━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━┩
                │ a (InputLayer) │ (None, 32)   │       0 │
                ├────────────────┼──────────────┼─────────┤
                │ b (Dense)      │ (None, 32)   │   1,056 │
                └────────────────┴──────────────┴─────────┘
                 Total params: 1,056 (4.12 KB)
                 Trainable params: 1,056 (4.12 KB)
                 Non-trainable params: 0 (0.00 B)
                """, model.summary());
        KilnModel doubles = ModelCompiler.create(ModelCompiler.loader(compilation), "demo.FirstNetworkModel", 42,
                DataType.DOUBLE);
        assertTrue(doubles.summary().contains(" Total params: 1,056 (8.25 KB)"), "8 bytes a float64 parameter: "
                + doubles.summary());
    }

    @Test
    void sameSeedSameWeights() {
        ClassLoader loader = ModelCompiler.loader(compilation);
        KilnModel a = ModelCompiler.create(loader, "demo.FirstNetworkModel", 7, DataType.FLOAT);
        KilnModel b = ModelCompiler.create(loader, "demo.FirstNetworkModel", 7, DataType.FLOAT);
        KilnModel c = ModelCompiler.create(loader, "demo.FirstNetworkModel", 8, DataType.FLOAT);
        assertEquals(a.getWeights(), b.getWeights());
        assertTrue(!a.getWeights().get("b/kernel").equals(c.getWeights().get("b/kernel")));
        assertTrue(a.getWeights().get("b/bias").sumNumber().doubleValue() == 0, "biases start at zero");
    }

    @Test
    void trainingAModelWithoutALossSaysSo() {
        KilnModel model = ModelCompiler.create(ModelCompiler.loader(compilation), "demo.FirstNetworkModel", 42,
                DataType.FLOAT);
        model.compile(new dev.kiln.runtime.optim.SGD());
        var e = assertThrows(IllegalStateException.class, () -> model.trainStep(
                new INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 32)}, new INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 32)}));
        assertEquals("FirstNetwork has no loss to train on: its outputs [b] declare none. Give one with @Output(loss ="
                + " ...), e.g. @Output(loss = MEAN_SQUARED_ERROR); a model without a loss only predicts.",
                e.getMessage());
    }

    @Test
    void wrongInputShapeNamesTheInput() throws Exception {
        KilnModel model = ModelCompiler.create(ModelCompiler.loader(compilation), "demo.FirstNetworkModel", 42,
                DataType.FLOAT);
        Method predict = model.getClass().getMethod("predict", INDArray.class);
        var e = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> predict.invoke(model, Nd4j.rand(DataType.FLOAT, 4, 31)));
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertEquals("input 'a' must have shape (batch, 32) (batch first), but was given an array of shape [4, 31]",
                e.getCause().getMessage());
    }
}
