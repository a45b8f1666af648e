package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.Tape;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.SGD;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Keras autoencoder blog's encoder and decoder, built on the autoencoder's own layers: {@code EncoderModel.on(auto,
 * "encoder")} is a model over the weights of the autoencoder's {@code @Nested} node, not a copy, so it predicts what
 * the autoencoder's node computes before and after more training, and a step of its own moves the autoencoder.
 */
class ModelOnNestedLayersTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("ae.Encoder", """
                package ae;
                import dev.kiln.dsl.*;
                @Model interface Encoder {
                    @Input(shape = 12) Tensor image();
                    @Dense(units = 6, activation = Activation.RELU) Tensor hidden(Tensor image);
                    @Dense(units = 3, activation = Activation.RELU) @Output Tensor code(Tensor hidden);
                }
                """, "ae.Decoder", """
                package ae;
                import dev.kiln.dsl.*;
                @Model interface Decoder {
                    @Input(shape = 3) Tensor code();
                    @Dense(units = 12, activation = Activation.SIGMOID) @Output Tensor image(Tensor code);
                }
                """, "ae.Autoencoder", """
                package ae;
                import dev.kiln.dsl.*;
                @Model interface Autoencoder {
                    @Input(shape = 12) Tensor x();
                    @Nested(Encoder.class) Tensor encoder(Tensor x);
                    @Nested(Decoder.class) @Output(loss = Loss.BINARY_CROSSENTROPY) Tensor decoder(Tensor encoder);
                }
                """, "ae.Normalized", """
                package ae;
                import dev.kiln.dsl.*;
                @Model interface Normalized {
                    @Input(shape = 12) Tensor image();
                    @Dense(units = 4) Tensor dense(Tensor image);
                    @BatchNormalization @Output Tensor code(Tensor dense);
                }
                """, "ae.NormalizedTwice", """
                package ae;
                import dev.kiln.dsl.*;
                @Model interface NormalizedTwice {
                    @Input(shape = 12) Tensor x();
                    @Nested(Normalized.class) Tensor first(Tensor x);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor first);
                }
                """);
    }

    private static KilnModel on(String model, KilnModel owner, String node) {
        try {
            return (KilnModel) loader.loadClass("ae." + model + "Model").getMethod("on", KilnModel.class, String.class)
                    .invoke(null, owner, node);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertTrue(expected.equalsWithEps(actual, 1e-12), () -> what + ": " + expected + " vs " + actual);
    }

    @Test
    void encoderAndDecoderStayTheAutoencoders() {
        KilnModel auto = ModelCompiler.create(loader, "ae.AutoencoderModel", 3, DataType.DOUBLE);
        auto.compile(new Adam(0.01));
        KilnModel encoder = on("Encoder", auto, "encoder");
        KilnModel decoder = on("Decoder", auto, "decoder");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 16, 12);
        for (int round = 0; round < 2; round++) { // before and after the autoencoder trains further
            for (int step = 0; step < 5; step++) {
                auto.trainOnBatch(Map.of("x", x), Map.of("decoder", x));
            }
            INDArray code = encoder.predict(Map.of("image", x)).get("code");
            assertClose(auto.predictNodes(Map.of("x", x), "encoder").get("encoder"), code, "encoder, round " + round);
            assertClose(auto.predict(Map.of("x", x)).get("decoder"), decoder.predict(Map.of("code", code)).get("image"),
                    "decoder(encoder(x)), round " + round);
        }
        assertEquals(auto.getWeights().get("encoder/hidden/kernel"), encoder.getWeights().get("hidden/kernel"));

        // a step of the encoder's own (a custom loop's, with its own optimizer) moves the autoencoder's weights
        encoder.compile(new SGD(0.1));
        INDArray before = auto.getWeights().get("encoder/code/kernel");
        Tape tape = encoder.tape(Map.of("image", x), true);
        encoder.applyGradients(tape.backward(Map.of("code", Nd4j.ones(DataType.DOUBLE, 16, 3))).weights());
        assertTrue(!before.equals(auto.getWeights().get("encoder/code/kernel")), "its step is the autoencoder's");
        assertEquals(auto.getWeights().get("encoder/code/kernel"), encoder.getWeights().get("code/kernel"));
    }

    @Test
    void aNodeThatDoesNotNestTheModelIsNamed() {
        KilnModel auto = ModelCompiler.create(loader, "ae.AutoencoderModel", 3, DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> on("Encoder", auto, "decoder"));
        assertEquals("Autoencoder has no node 'decoder' that applies Encoder; nodes that do: [encoder]", e.getMessage());
    }

    @Test
    void aNestedModelSplitByItsNonTrainableWeightsIsRefused() {
        KilnModel owner = ModelCompiler.create(loader, "ae.NormalizedTwiceModel", 3, DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> on("Normalized", owner,
                "first"));
        assertTrue(e.getMessage().startsWith("Normalized's variables are not one block of NormalizedTwice's weights"),
                e.getMessage());
    }
}
