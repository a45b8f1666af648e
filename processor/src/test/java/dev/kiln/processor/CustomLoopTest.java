package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.Tape;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.SGD;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The custom-loop API, Kiln's {@code GradientTape} and {@code apply_gradients}: a tape's gradients of weights and inputs
 * match finite differences, from the loss and from given output gradients (through a fused softmax and sigmoid too);
 * {@code applyGradients} with {@code computeGradients}' gradients is exactly {@code trainOnBatch}'s step; misuse throws
 * and changes nothing.
 */
class CustomLoopTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("loop.Classifier", """
                package loop;
                import dev.kiln.dsl.*;
                @Model interface Classifier {
                    @Input(shape = 6) Tensor pixels();
                    @Input(shape = 3) Tensor extra();
                    @Dense(units = 5, activation = Activation.RELU) Tensor hidden(Tensor pixels);
                    @ActivationLayer(Activation.TANH) Tensor squashed(Tensor extra);
                    @Concatenate Tensor both(Tensor hidden, Tensor squashed);
                    @Dropout(rate = 0.5) Tensor dropped(Tensor both);
                    @Dense(units = 4, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY) Tensor digit(Tensor dropped);
                }
                """, "loop.Sequence", """
                package loop;
                import dev.kiln.dsl.*;
                @Model interface Sequence {
                    @Input(shape = {5, 3}) Tensor steps();
                    @LSTM(units = 4) Tensor state(Tensor steps);
                    @Dense(units = 1, activation = Activation.SIGMOID)
                    @Output(loss = Loss.BINARY_CROSSENTROPY) Tensor odd(Tensor state);
                    @Dense(units = 2) @Output Tensor raw(Tensor state);
                }
                """, "loop.Words", """
                package loop;
                import dev.kiln.dsl.*;
                @Model interface Words {
                    @Input(shape = 4, dtype = DType.INT32) Tensor ids();
                    @Input(shape = 2) Tensor scale();
                    @Embedding(inputDim = 10, outputDim = 3) Tensor vectors(Tensor ids);
                    @Flatten Tensor flat(Tensor vectors);
                    @Concatenate Tensor joined(Tensor flat, Tensor scale);
                    @Dense(units = 3, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor label(Tensor joined);
                }
                """);
    }

    private static KilnModel model(String name) {
        return LayerTesting.model(loader, "loop." + name + "Model");
    }

    @Test
    void tapeGradientsMatchFiniteDifferencesThroughAFusedSoftmax() {
        LayerTesting.assertGradientsMatch(model("Classifier"), "classifier");
    }

    @Test
    void tapeGradientsMatchFiniteDifferencesThroughAFusedSigmoidAndAnOutputWithoutLoss() {
        LayerTesting.assertGradientsMatch(model("Sequence"), "sequence");
    }

    @Test
    void idsHaveNoGradientAndFloatInputsBesideThemDo() {
        LayerTesting.assertGradientsMatch(model("Words"), "words");
    }

    @Test
    void applyGradientsIsTrainOnBatchsStep() {
        for (Supplier<Optimizer> optimizer : java.util.List.<Supplier<Optimizer>>of(() -> new Adam(1e-2),
                () -> new SGD(0.1).momentum(0.9).nesterov(true))) {
            KilnModel trained = model("Classifier");
            KilnModel byMap = model("Classifier");
            KilnModel byFlat = model("Classifier");
            trained.compile(optimizer.get());
            byMap.compile(optimizer.get());
            byFlat.compile(optimizer.get());
            trained.setTrainable("hidden", false); // a frozen node keeps its weights on every path
            byMap.setTrainable("hidden", false);
            byFlat.setTrainable("hidden", false);
            assertEquals(java.util.Set.of("hidden/kernel", "hidden/bias"), trained.frozenVariables());
            SplittableRandom random = new SplittableRandom(7);
            for (int step = 0; step < 4; step++) {
                INDArray[] x = {FunctionalApiTest.uniform(random, new long[] {5, 6}),
                        FunctionalApiTest.uniform(random, new long[] {5, 3})};
                INDArray[] y = {oneHot(random, 5, 4)};
                trained.reseed(step);
                byMap.reseed(step);
                byFlat.reseed(step);
                double loss = trained.trainStep(x, y).loss();
                assertEquals(loss, byMap.computeGradients(x, y, true).loss(), 0);
                byMap.applyGradients(byMap.gradients());
                byFlat.computeGradients(x, y, true);
                byFlat.applyGradients(byFlat.gradientBuffer().dup());
                assertEquals(trained.parameterBuffer(), byMap.parameterBuffer(), "step " + step);
                assertEquals(trained.parameterBuffer(), byFlat.parameterBuffer(), "step " + step);
            }
            assertEquals(model("Classifier").getWeights().get("hidden/kernel"),
                    trained.getWeights().get("hidden/kernel"), "frozen");
        }
    }

    @Test
    void aTapeIsSpentByTheModelsNextForwardPass() {
        KilnModel m = model("Classifier");
        m.compile(new Adam());
        Map<String, INDArray> x = Map.of("pixels", Nd4j.rand(DataType.DOUBLE, 2, 6),
                "extra", Nd4j.rand(DataType.DOUBLE, 2, 3));
        Tape first = m.tape(x, true);
        Tape second = m.tape(x, true);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> first.backwardFromLoss(Map.of("digit", oneHot(new SplittableRandom(1), 2, 4))));
        assertTrue(e.getMessage().contains("this tape's forward pass of Classifier is gone: the model ran 1 forward"
                + " pass(es) since"), e.getMessage());
        second.backwardFromLoss(Map.of("digit", oneHot(new SplittableRandom(1), 2, 4)));
        assertThrows(IllegalStateException.class, () -> second.backward(Map.of()), "a tape is used once");
        predictsFromAnotherThreadDoNotSpendATape(m, x);
    }

    private static void predictsFromAnotherThreadDoNotSpendATape(KilnModel m, Map<String, INDArray> x) {
        Tape tape = m.tape(x, false);
        Thread other = new Thread(() -> m.predict(x));
        other.start();
        try {
            other.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(2, tape.backward(Map.of("digit", Nd4j.ones(DataType.DOUBLE, 2, 4))).inputs().size());
    }

    @Test
    void badOutputGradientsAreNamed() {
        KilnModel m = model("Classifier");
        Map<String, INDArray> x = Map.of("pixels", Nd4j.rand(DataType.DOUBLE, 2, 6),
                "extra", Nd4j.rand(DataType.DOUBLE, 2, 3));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> m.tape(x, false).backward(Map.of("digit", Nd4j.ones(DataType.DOUBLE, 3, 4))));
        assertEquals("the gradient for output 'digit' must have the output's shape [2, 4] (batch of 2), but has [3, 4]",
                shape.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> m.tape(x, false).backward(Map.of("digits", Nd4j.ones(DataType.DOUBLE, 2, 4))));
        assertEquals("Classifier has no output 'digits'; its outputs are [digit]", name.getMessage());
    }

    @Test
    void applyGradientsRefusesWhatIsWrongAndChangesNothing() {
        KilnModel m = model("Classifier");
        INDArray before = m.parameterBuffer().dup();
        Map<String, INDArray> g = zeroGradients(m);
        IllegalStateException notCompiled = assertThrows(IllegalStateException.class, () -> m.applyGradients(g));
        assertTrue(notCompiled.getMessage().startsWith("Classifier is not compiled"), notCompiled.getMessage());
        m.compile(new Adam());

        Map<String, INDArray> missing = new LinkedHashMap<>(g);
        missing.remove("digit/bias");
        assertEquals("applyGradients: no gradient given for the trainable variables [digit/bias]; give every trainable"
                + " variable's (a zero array where it has none)",
                assertThrows(IllegalArgumentException.class, () -> m.applyGradients(missing)).getMessage());

        Map<String, INDArray> wrongShape = new LinkedHashMap<>(g);
        wrongShape.put("digit/kernel", Nd4j.zeros(DataType.DOUBLE, 4, 8));
        assertEquals("applyGradients: the gradient of 'digit/kernel' must have shape [8, 4] (the variable's, Keras"
                + " layout), but has [4, 8]",
                assertThrows(IllegalArgumentException.class, () -> m.applyGradients(wrongShape)).getMessage());

        Map<String, INDArray> unknown = new LinkedHashMap<>(g);
        unknown.put("digit/kernal", Nd4j.zeros(DataType.DOUBLE, 8, 4));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.applyGradients(unknown)).getMessage()
                .startsWith("applyGradients: Classifier has no variable 'digit/kernal'; its variables are [hidden/kernel"));

        Map<String, INDArray> nan = new LinkedHashMap<>(g);
        nan.put("hidden/bias", Nd4j.zeros(DataType.DOUBLE, 5).putScalar(2, Double.NaN));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.applyGradients(nan)).getMessage()
                .contains("the gradient of 'hidden/bias' is not finite; the step was not applied"));

        assertThrows(IllegalArgumentException.class, () -> m.applyGradients(Nd4j.zeros(DataType.DOUBLE, 3)));
        assertEquals(before, m.parameterBuffer());
        assertEquals(0, m.optimizer().iterations());
    }

    private static Map<String, INDArray> zeroGradients(KilnModel m) {
        Map<String, INDArray> g = new LinkedHashMap<>();
        m.spec().variables().forEach(v -> g.put(v.name(), Nd4j.zeros(DataType.DOUBLE, v.shape())));
        return g;
    }

    private static INDArray oneHot(SplittableRandom random, int batch, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, random.nextInt(classes), 1);
        }
        return y;
    }

    @Test
    void optimizerVariablesAreKeyedAndShapedByModelVariable() {
        KilnModel m = model("Classifier");
        KilnModel same = model("Classifier");
        m.compile(new Adam(1e-2));
        SplittableRandom random = new SplittableRandom(3);
        INDArray[] x = {FunctionalApiTest.uniform(random, new long[] {4, 6}),
                FunctionalApiTest.uniform(random, new long[] {4, 3})};
        INDArray[] y = {oneHot(random, 4, 4)};
        m.reseed(1);
        same.reseed(1);
        m.trainStep(x, y);
        same.computeGradients(x, y, true);
        INDArray g = same.gradients().get("digit/kernel");
        Map<String, INDArray> slots = m.optimizerVariables();
        assertEquals(1, slots.get("iterations").getLong(0));
        // Keras's Adam after one step from zero: momentum = (1 - beta1) g, velocity = (1 - beta2) g^2
        assertTrue(g.mul(0.1).equalsWithEps(slots.get("digit/kernel/momentum"), 1e-12));
        assertTrue(g.mul(g).mul(0.001).equalsWithEps(slots.get("digit/kernel/velocity"), 1e-12));
        assertEquals(java.util.List.of(8L, 4L), java.util.Arrays.stream(slots.get("digit/kernel/velocity").shape())
                .boxed().toList());
    }

    @Test
    void predictNodesNamesWhatItCannotGive() {
        KilnModel m = model("Classifier");
        Map<String, INDArray> x = Map.of("pixels", Nd4j.rand(DataType.DOUBLE, 2, 6),
                "extra", Nd4j.rand(DataType.DOUBLE, 2, 3));
        Map<String, INDArray> features = m.predictNodes(x, "hidden", "digit");
        assertEquals(java.util.List.of("hidden", "digit"), java.util.List.copyOf(features.keySet()));
        assertEquals(m.predict(x).get("digit"), features.get("digit"));
        assertEquals("predictNodes: Classifier has no node 'hiden'; its nodes are [pixels, extra, hidden, squashed,"
                + " both, dropped, digit]",
                assertThrows(IllegalArgumentException.class, () -> m.predictNodes(x, "hiden")).getMessage());
    }

    @Test
    void aTapeInTrainingModeDropsTheSameUnitsItsBackwardSees() {
        KilnModel m = model("Classifier");
        Map<String, INDArray> x = Map.of("pixels", Nd4j.rand(DataType.DOUBLE, 3, 6),
                "extra", Nd4j.rand(DataType.DOUBLE, 3, 3));
        m.reseed(3);
        Tape tape = m.tape(x, true);
        Tape.Gradients g = tape.backwardFromLoss(Map.of("digit", oneHot(new SplittableRandom(2), 3, 4)));
        m.reseed(3);
        INDArray[] arrays = {x.get("pixels"), x.get("extra")};
        double loss = m.computeGradients(arrays, new INDArray[] {oneHot(new SplittableRandom(2), 3, 4)}, true).loss();
        assertEquals(loss, g.loss(), 1e-12);
        assertArrayEquals(m.gradients().get("digit/kernel").data().asDouble(),
                g.weights().get("digit/kernel").data().asDouble(), 1e-12);
    }
}
