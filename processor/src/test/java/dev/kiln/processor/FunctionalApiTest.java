package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.dsl.Loss;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.reference.GradientCheck;
import dev.kiln.runtime.reference.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Keras functional API's patterns — merges, shape layers, shared layers, nested models, several inputs and
 * outputs, frozen layers — each compiled together, gradient-checked in float64 against finite differences, and matched
 * against the reference interpreter; parameter counts match Keras's formulas.
 */
class FunctionalApiTest {
    static final String[] SOURCES = {
        "fn.Residual", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Residual {
                @Input(shape = 16) Tensor x();
                @Dense(units = 16, activation = Activation.RELU) Tensor a(Tensor x);
                @Dense(units = 16) Tensor b(Tensor a);
                @Add Tensor sum(Tensor b, Tensor x);
                @Dense(units = 4, activation = Activation.SOFTMAX) @Output(loss = Loss.CATEGORICAL_CROSSENTROPY)
                Tensor out(Tensor sum);
            }
            """,
        "fn.Merges", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Merges {
                @Input(shape = 6) Tensor x();
                @Dense(units = 8, activation = Activation.TANH) Tensor p(Tensor x);
                @Dense(units = 8, activation = Activation.SIGMOID) Tensor q(Tensor x);
                @Dense(units = 1) Tensor r(Tensor x);
                @Multiply Tensor m(Tensor p, Tensor q);
                @Subtract Tensor s(Tensor p, Tensor q);
                @Average Tensor av(Tensor p, Tensor q, Tensor r);
                @Maximum Tensor mx(Tensor p, Tensor q);
                @Minimum Tensor mn(Tensor p, Tensor r);
                @Add Tensor sum(Tensor p, Tensor q, Tensor r);
                @Concatenate Tensor cat(Tensor m, Tensor s, Tensor av, Tensor mx, Tensor mn, Tensor sum);
                @Dense(units = 3) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor out(Tensor cat);
            }
            """,
        "fn.Dots", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Dots {
                @Input(shape = 6) Tensor a();
                @Input(shape = 6) Tensor b();
                @Dense(units = 5) Tensor ea(Tensor a);
                @Dense(units = 5) Tensor eb(Tensor b);
                @Dot(axes = 1, normalize = true) Tensor cosine(Tensor ea, Tensor eb);
                @Dot(axes = 1) Tensor dot(Tensor ea, Tensor eb);
                @Concatenate Tensor both(Tensor cosine, Tensor dot);
                @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor out(Tensor both);
            }
            """,
        "fn.Shapes", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Shapes {
                @Input(shape = 12) Tensor x();
                @Dense(units = 12) Tensor h(Tensor x);
                @Reshape(targetShape = {3, -1}) Tensor grid(Tensor h);
                @Permute(dims = {2, 1}) Tensor turned(Tensor grid);
                @Dense(units = 5, activation = Activation.TANH) Tensor perRow(Tensor turned);
                @Flatten Tensor flat(Tensor perRow);
                @RepeatVector(n = 2) Tensor again(Tensor flat);
                @RepeatVector(n = 3) Tensor thrice(Tensor flat);
                @Concatenate(axis = 1) Tensor stacked(Tensor again, Tensor thrice);
                @Flatten Tensor flat2(Tensor stacked);
                @Dense(units = 2) @Output(loss = Loss.HUBER) Tensor out(Tensor flat2);
            }
            """,
        "fn.Siamese", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Siamese {
                @Input(shape = 7) Tensor left();
                @Input(shape = 7) Tensor right();
                @Dense(units = 6, activation = Activation.RELU) Tensor encodedLeft(Tensor left);
                @Shared("encodedLeft") Tensor encodedRight(Tensor right);
                @Subtract Tensor diff(Tensor encodedLeft, Tensor encodedRight);
                @Dense(units = 1, activation = Activation.SIGMOID) @Output(loss = Loss.BINARY_CROSSENTROPY)
                Tensor same(Tensor diff);
            }
            """,
        "fn.Vision", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Vision {
                @Input(shape = 10) Tensor image();
                @Dense(units = 8, activation = Activation.RELU) Tensor hidden(Tensor image);
                @Dense(units = 4, activation = Activation.TANH) @Output Tensor features(Tensor hidden);
            }
            """,
        "fn.TwoViews", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface TwoViews {
                @Input(shape = 10) Tensor a();
                @Input(shape = 10) Tensor b();
                @Nested(Vision.class) Tensor va(Tensor a);
                @Shared("va") Tensor vb(Tensor b);
                @Concatenate Tensor both(Tensor va, Tensor vb);
                @Dense(units = 3, activation = Activation.SOFTMAX)
                @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor digit(Tensor both);
            }
            """,
        "fn.News", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface News {
                @Input(shape = 20) Tensor mainInput();
                @Input(shape = 5) Tensor auxInput();
                @Dense(units = 8, activation = Activation.RELU) Tensor text(Tensor mainInput);
                @Dense(units = 1, activation = Activation.SIGMOID)
                @Output(loss = Loss.BINARY_CROSSENTROPY, lossWeight = 0.2) Tensor auxOutput(Tensor text);
                @Concatenate Tensor merged(Tensor text, Tensor auxInput);
                @Dense(units = 6, activation = Activation.RELU) Tensor deep(Tensor merged);
                @Dropout(rate = 0.3) Tensor dropped(Tensor deep);
                @Dense(units = 1, activation = Activation.SIGMOID)
                @Output(loss = Loss.BINARY_CROSSENTROPY, lossWeight = 1.0) Tensor mainOutput(Tensor dropped);
            }
            """,
        "fn.Sequence", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Sequence {
                @Input(shape = {Input.NONE, 6}) Tensor steps();
                @Dense(units = 5, activation = Activation.TANH) Tensor perStep(Tensor steps);
                @Dense(units = 3, activation = Activation.SOFTMAX)
                @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor tag(Tensor perStep);
            }
            """,
        "fn.Frozen", """
            package fn;
            import dev.kiln.dsl.*;
            @Model interface Frozen {
                @Input(shape = 5) Tensor x();
                @Dense(units = 4, activation = Activation.TANH, trainable = false) Tensor base(Tensor x);
                @Dense(units = 3) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor head(Tensor base);
            }
            """,
    };

    static ClassLoader loader;

    @BeforeAll
    static void compileAll() {
        Compilation compilation = ModelCompiler.compile(SOURCES);
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics()::toString);
        assertEquals(0, compilation.warnings().size(), compilation.warnings()::toString);
        loader = ModelCompiler.loader(compilation);
    }

    static KilnModel model(String name) {
        return ModelCompiler.create(loader, "fn." + name + "Model", 5, DataType.DOUBLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Residual", "Merges", "Dots", "Shapes", "Siamese", "TwoViews", "News", "Frozen"})
    void gradientsMatchFiniteDifferencesAndTheReference(String name) {
        KilnModel model = model(name);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        Map<String, INDArray> weights = model.getWeights();
        weights.replaceAll((k, w) -> k.endsWith("/bias") ? uniform(random, w.shape()) : w);
        model.setWeights(weights);
        int batch = 5;
        INDArray[] x = model.spec().inputs().stream()
                .map(in -> uniform(random, batched(batch, in.shape()))).toArray(INDArray[]::new);
        INDArray[] y = model.spec().outputs().stream().map(o -> target(o, model.spec(), batch, random))
                .toArray(INDArray[]::new);

        GradientCheck.Result r = GradientCheck.check(model, x, y, 60, 1e-6, 11);
        assertTrue(r.passed(), () -> name + ": " + r.failures());

        ReferenceInterpreter ref = new ReferenceInterpreter(model.spec(), model.getWeights());
        double loss = model.computeGradients(x, y, false).loss();
        Map<String, INDArray> expected = new HashMap<>();
        assertEquals(ref.lossAndGradients(x, y, expected), loss, 1e-9);
        INDArray[] predicted = model.predictBatch(x);
        INDArray[] referencePredicted = ref.predict(x);
        for (int i = 0; i < predicted.length; i++) {
            assertTrue(referencePredicted[i].equalsWithEps(predicted[i], 1e-10), name + " output " + i);
        }
        Map<String, INDArray> actual = model.gradients();
        for (ModelSpec.VariableSpec v : model.spec().variables()) {
            if (!v.trainable()) {
                expected.remove(v.name()); // frozen: the model computes no gradient, the reference does
            }
        }
        for (String k : expected.keySet()) {
            assertTrue(expected.get(k).equalsWithEps(actual.get(k), 1e-9), () -> name + " " + k);
        }
    }

    /** Dense acts on the last axis of a sequence whose length is only known at run time; any length trains. */
    @Test
    void anOpenTimeAxisTakesAnyLength() {
        KilnModel model = model("Sequence");
        SplittableRandom random = new SplittableRandom(3);
        for (int steps : new int[] {4, 7}) {
            INDArray x = uniform(random, new long[] {2, steps, 6});
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, steps);
            GradientCheck.Result r = GradientCheck.check(model, new INDArray[] {x}, new INDArray[] {y}, 40, 1e-6, 5);
            assertTrue(r.passed(), () -> "length " + steps + ": " + r.failures());
            assertArrayEquals(new long[] {2, steps, 3}, model.predictBatch(new INDArray[] {x})[0].shape());
        }
    }

    @Test
    void sharedLayerHasOneSetOfWeightsAndTheGradientIsTheSum() {
        KilnModel model = model("Siamese");
        assertEquals(List.of("encodedLeft/kernel", "encodedLeft/bias", "same/kernel", "same/bias"),
                new ArrayList<>(model.getWeights().keySet()));
        // Keras: Dense(6) on 7 inputs, shared, then Dense(1) on 6
        assertEquals((7 * 6 + 6) + (6 * 1 + 1), model.countParams());
    }

    @Test
    void nestedModelWeightsLiveUnderTheNodeAndAreSharedByTheSecondApplication() {
        KilnModel model = model("TwoViews");
        assertEquals(List.of("va/hidden/kernel", "va/hidden/bias", "va/features/kernel", "va/features/bias",
                "digit/kernel", "digit/bias"), new ArrayList<>(model.getWeights().keySet()));
        assertEquals((10 * 8 + 8) + (8 * 4 + 4) + (8 * 3 + 3), model.countParams());
    }

    @Test
    void summaryTotalsFollowKerasFormulas() {
        // Keras: Dense params = in * units + units
        assertTotals(model("Residual"), 16 * 16 + 16 + 16 * 16 + 16 + 16 * 4 + 4, 0);
        assertTotals(model("News"), (20 * 8 + 8) + (8 + 1) + (13 * 6 + 6) + (6 + 1), 0);
        assertTotals(model("Frozen"), 5 * 4 + 4 + 4 * 3 + 3, 5 * 4 + 4);
        assertTotals(model("Shapes"), (12 * 12 + 12) + (3 * 5 + 5) + (100 * 2 + 2), 0);
    }

    @Test
    void frozenLayerGetsNoGradient() {
        KilnModel model = model("Frozen");
        assertEquals(List.of("head/kernel", "head/bias", "base/kernel", "base/bias"),
                new ArrayList<>(model.getWeights().keySet()), "trainable variables first in the flat buffer");
        model.computeGradients(new INDArray[] {Nd4j.rand(DataType.DOUBLE, 3, 5)},
                new INDArray[] {Nd4j.rand(DataType.DOUBLE, 3, 3)}, true);
        assertEquals(0.0, model.gradients().get("base/kernel").sumNumber().doubleValue());
        assertTrue(model.gradients().get("head/kernel").norm2Number().doubleValue() > 0);
    }

    @Test
    void freezingAtRunTimeKeepsWeightsForFineTuning() {
        KilnModel model = model("Residual");
        model.compile(new dev.kiln.runtime.optim.Adam(0.01).weightDecay(0.1));
        model.setTrainable("a", false);
        INDArray before = model.getWeights().get("a/kernel");
        INDArray bBefore = model.getWeights().get("b/kernel");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 16);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 8, 4);
        y.getColumn(1).assign(1);
        for (int i = 0; i < 3; i++) {
            model.trainStep(new INDArray[] {x}, new INDArray[] {y});
        }
        assertEquals(before, model.getWeights().get("a/kernel"));
        assertTrue(!bBefore.equals(model.getWeights().get("b/kernel")), "unfrozen layers still train");
        assertTotals(model, 16 * 16 + 16 + 16 * 16 + 16 + 16 * 4 + 4, 16 * 16 + 16);
        model.setTrainable("a", true);
        model.trainStep(new INDArray[] {x}, new INDArray[] {y});
        assertTrue(!before.equals(model.getWeights().get("a/kernel")), "unfrozen again, it trains");
    }

    @Test
    void multipleOutputsAreTypedRecords() throws Exception {
        KilnModel model = model("News");
        Object outputs = model.getClass().getMethod("predict", INDArray.class, INDArray.class)
                .invoke(model, Nd4j.rand(DataType.DOUBLE, 2, 20), Nd4j.rand(DataType.DOUBLE, 2, 5));
        assertTrue(outputs.getClass().isRecord());
        INDArray main = (INDArray) outputs.getClass().getMethod("mainOutput").invoke(outputs);
        assertArrayEquals(new long[] {2, 1}, main.shape());
    }

    static void assertTotals(KilnModel model, long total, long frozen) {
        String s = model.summary(); // after training, Keras's total counts the optimizer's variables too
        assertTrue(s.contains(String.format(" Trainable params: %,d ", total - frozen)), s);
        assertTrue(s.contains(String.format(" Non-trainable params: %,d ", frozen)), s);
    }

    static INDArray target(ModelSpec.Output o, ModelSpec spec, int batch, SplittableRandom random) {
        long[] shape = batched(batch, spec.node(o.spec().name()).shape());
        Loss loss = o.spec().loss();
        int width = (int) shape[shape.length - 1];
        INDArray t = Nd4j.create(DataType.DOUBLE, loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY
                ? java.util.Arrays.copyOf(shape, shape.length - 1) : shape);
        for (int i = 0; i < t.length(); i++) {
            double v = switch (loss) {
                case SPARSE_CATEGORICAL_CROSSENTROPY -> random.nextInt(width);
                case BINARY_CROSSENTROPY -> random.nextInt(2);
                case CATEGORICAL_CROSSENTROPY -> 0;
                default -> random.nextDouble(-1, 1);
            };
            t.putScalar(i, v);
        }
        if (loss == Loss.CATEGORICAL_CROSSENTROPY) { // one class per sample (and step, for a sequence)
            for (long row = 0; row < t.length() / width; row++) {
                t.putScalar(row * width + random.nextInt(width), 1.0);
            }
        }
        return t;
    }

    static INDArray uniform(SplittableRandom random, long[] shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (int i = 0; i < a.length(); i++) {
            a.putScalar(i, random.nextDouble(-1, 1));
        }
        return a;
    }

    static long[] batched(int batch, long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = batch;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }
}
