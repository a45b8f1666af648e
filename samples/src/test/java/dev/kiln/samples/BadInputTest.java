package dev.kiln.samples;

import static dev.kiln.samples.ThreadSafetyTest.assertBitwiseEquals;
import static dev.kiln.samples.ThreadSafetyTest.assertWeightsBitwiseEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.SGD;
import dev.kiln.runtime.train.Fit;
import dev.kiln.samples.digits.DigitsMlpModel;
import dev.kiln.samples.first.FirstNetworkModel;
import dev.kiln.samples.news.NewsHeadlinesModel;
import dev.kiln.samples.news.NewsSample;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Bad arguments at every public entry point of a generated model: each gives the right answer or an exception whose
 * message names the argument; a failed training step leaves the weights bit for bit as they were.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    /** A case: what is called, the exception expected ({@code null}: none), and text its message must hold. */
    record Case(String name, Consumer<DigitsMlpModel> call, Class<? extends Exception> thrown, String message) {
    }

    static INDArray x(int rows) {
        return ThreadSafetyTest.uniform(new SplittableRandom(rows), rows, 64);
    }

    static INDArray y(int rows) {
        return ThreadSafetyTest.labels(new SplittableRandom(rows + 100), rows, 10);
    }

    static INDArray with(INDArray a, int row, int column, double value) {
        INDArray copy = a.dup();
        if (copy.rank() == 1) {
            copy.putScalar(row, value);
        } else {
            copy.putScalar(row, column, value);
        }
        return copy;
    }

    static List<Case> cases() {
        Class<IllegalArgumentException> arg = IllegalArgumentException.class;
        Dataset data = Dataset.of(x(40), y(40));
        return List.of(
                // predict
                new Case("predict(null)", m -> m.predict((INDArray) null), arg, "input 'pixels' is null"),
                new Case("predict(wrong width)", m -> m.predict(Nd4j.rand(DataType.FLOAT, 4, 63)), arg,
                        "input 'pixels' must have shape (batch, 64) (batch first), but was given an array of shape [4, 63]"),
                new Case("predict(no batch axis)", m -> m.predict(Nd4j.rand(DataType.FLOAT, 64)), arg,
                        "input 'pixels' must have shape (batch, 64)"),
                new Case("predict(empty batch)", m -> m.predict(Nd4j.create(DataType.FLOAT, 0, 64)), arg,
                        "input 'pixels' holds no sample (shape [0, 64]); a batch needs at least one"),
                new Case("predict(view, float64)", m -> assertBitwiseEquals(
                        m.predict(x(12).get(NDArrayIndex.interval(0, 6), NDArrayIndex.all()).dup()),
                        m.predict(x(12).castTo(DataType.DOUBLE).get(NDArrayIndex.interval(0, 6), NDArrayIndex.all())),
                        "a float64 view"), null, null),
                new Case("predict(Map null)", m -> m.predict((Map<String, INDArray>) null), arg,
                        "the inputs are null; DigitsMlp needs [pixels]"),
                new Case("predict(Map missing)", m -> m.predict(Map.of()), arg, "missing input 'pixels'"),
                new Case("predict(Map null value)", m -> m.predict(nullValue("pixels")), arg,
                        "input 'pixels' is null"),
                new Case("predict(Map unknown)", m -> m.predict(Map.of("pixel", x(2))), arg,
                        "DigitsMlp has no input 'pixel'; its inputs are [pixels]"),
                new Case("predict(null data set)", m -> m.predict((Dataset) null, 32), arg, "predict: data is null"),
                new Case("predict(batchSize 0)", m -> m.predict(data, 0), arg,
                        "predict: batchSize must be at least 1, got 0"),
                new Case("predictBatch(null)", m -> m.predictBatch(null), arg, "the inputs are null"),
                new Case("predictBatch(two arrays)", m -> m.predictBatch(new INDArray[] {x(2), x(2)}), arg,
                        "DigitsMlp takes 1 input(s) [pixels] but was given 2"),
                // trainOnBatch
                new Case("trainOnBatch(null, y)", m -> m.trainOnBatch(null, y(4)), arg, "input 'pixels' is null"),
                new Case("trainOnBatch(x, null)", m -> m.trainOnBatch(x(4), null), arg,
                        "targets for output 'digit' are null"),
                new Case("trainOnBatch(empty)", m -> m.trainOnBatch(Nd4j.create(DataType.FLOAT, 0, 64),
                        Nd4j.create(DataType.FLOAT, 0)), arg, "input 'pixels' holds no sample"),
                new Case("trainOnBatch(5 vs 4 samples)", m -> m.trainOnBatch(x(5), y(4)), arg,
                        "targets for output 'digit' have 4 samples but the inputs have 5"),
                new Case("trainOnBatch(one-hot targets)", m -> m.trainOnBatch(x(4), Nd4j.zeros(DataType.FLOAT, 4, 10)),
                        arg, "targets for output 'digit' must be class ids of shape (batch) or (batch, 1)"),
                new Case("trainOnBatch(scalar targets)", m -> m.trainOnBatch(x(4), Nd4j.scalar(1f)), arg,
                        "targets for output 'digit' have no batch axis but the inputs have 4"),
                new Case("trainOnBatch(NaN input)", m -> m.trainOnBatch(with(x(8), 2, 7, Double.NaN), y(8)), arg,
                        "input 'pixels' holds NaN at sample 2 (element [2, 7]): "),
                new Case("trainOnBatch(+Inf input)",
                        m -> m.trainOnBatch(with(x(8), 5, 0, Double.POSITIVE_INFINITY), y(8)), arg,
                        "input 'pixels' holds Infinity at sample 5 (element [5, 0]): "),
                new Case("trainOnBatch(-Inf input)",
                        m -> m.trainOnBatch(with(x(8), 0, 63, Double.NEGATIVE_INFINITY), y(8)), arg,
                        "input 'pixels' holds -Infinity at sample 0 (element [0, 63]): "),
                new Case("trainOnBatch(NaN target)", m -> m.trainOnBatch(x(8), with(y(8), 3, 0, Double.NaN)), arg,
                        "the target for output 'digit' holds NaN at sample 3 (element [3])"),
                new Case("trainOnBatch(label 10)", m -> m.trainOnBatch(x(8), with(y(8), 6, 0, 10)), arg,
                        "targets for output 'digit': label 10 at sample 6 is outside 0..9"),
                new Case("trainOnBatch(Map null)", m -> m.trainOnBatch(null, Map.of("digit", y(2))), arg,
                        "the inputs are null"),
                new Case("trainOnBatch(Map no targets)", m -> m.trainOnBatch(Map.of("pixels", x(2)), Map.of()), arg,
                        "missing target 'digit'"),
                new Case("trainOnBatch(uncompiled)", m -> DigitsMlpModel.create(1).trainOnBatch(x(2), y(2)),
                        IllegalStateException.class, "DigitsMlp is not compiled"),
                // fit, evaluate
                new Case("fit(null, options)", m -> m.fit(null, Fit.epochs(1).verbose(0)), arg, "fit: data is null"),
                new Case("fit(data, null)", m -> m.fit(data, null), arg, "fit: options is null"),
                new Case("fit(empty data set)", m -> m.fit(Dataset.of(Nd4j.create(DataType.FLOAT, 0, 64),
                        Nd4j.create(DataType.FLOAT, 0)), Fit.epochs(1).verbose(0)), arg,
                        "input 'x' has no samples; a data set needs at least one"),
                new Case("fit(no targets)", m -> m.fit(Dataset.of(x(10)), Fit.epochs(1).verbose(0)), arg,
                        "targets for output 'digit' are null"),
                new Case("fit(wrong width)", m -> m.fit(Dataset.of(Nd4j.rand(DataType.FLOAT, 8, 60), y(8)),
                        Fit.epochs(1).verbose(0)), arg, "input 'pixels' must have shape (batch, 64)"),
                new Case("evaluate(null)", m -> m.evaluate(null), arg, "evaluate: data is null"),
                new Case("evaluate(batchSize -1)", m -> m.evaluate(data, -1), arg,
                        "evaluate: batchSize must be at least 1, got -1"),
                new Case("evaluate(data)", m -> assertTrue(Double.isFinite(m.evaluate(data).loss())), null, null),
                // weights, save, load, compile
                new Case("setWeights(null)", m -> m.setWeights(null), arg, "setWeights: weights is null"),
                new Case("setWeights(wrong shape)", m -> {
                    Map<String, INDArray> w = new LinkedHashMap<>(m.getWeights());
                    w.put("hidden/bias", Nd4j.zeros(DataType.FLOAT, 65));
                    m.setWeights(w);
                }, arg, "'hidden/bias' must have shape [64]"),
                new Case("setTrainable(null)", m -> m.setTrainable(null, false), arg, "setTrainable: node is null"),
                new Case("setTrainable(unknown)", m -> m.setTrainable("hiden", false), arg,
                        "DigitsMlp has no node 'hiden' with weights"),
                new Case("compile(null)", m -> m.compile(null), arg, "compile needs an optimizer"),
                new Case("save(null)", m -> m.save(null), arg, "save: file is null"),
                new Case("load(null)", m -> DigitsMlpModel.load(null), arg, "load: file is null"),
                new Case("load(missing file)", m -> DigitsMlpModel.load(dir.resolve("missing.kiln")),
                        java.io.UncheckedIOException.class, "missing.kiln"));
    }

    private static Map<String, INDArray> nullValue(String key) {
        Map<String, INDArray> m = new HashMap<>();
        m.put(key, null);
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everyEntryPointNamesItsBadArgumentAndAFailedStepChangesNothing() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            DigitsMlpModel model = DigitsMlpModel.create(3);
            model.compile(new Adam(1e-3));
            model.trainOnBatch(x(16), y(16)); // the optimizer has state to keep
            Map<String, INDArray> before = model.getWeights();
            long steps = model.optimizer().iterations();
            if (c.thrown() == null) {
                c.call().accept(model);
                return;
            }
            Exception e = assertThrows(c.thrown(), () -> c.call().accept(model), c.name());
            assertTrue(e.getMessage() != null && e.getMessage().contains(c.message()),
                    c.name() + ": the message should hold \"" + c.message() + "\" but is \"" + e.getMessage() + "\"");
            if (!c.name().startsWith("fit(") && !c.name().startsWith("setWeights")) {
                assertWeightsBitwiseEqual(before, model.getWeights());
                assertEquals(steps, model.optimizer().iterations(), c.name() + ": the optimizer stepped");
            }
        }));
    }

    @Test
    void anInfiniteRegressionTargetIsNamedAndTheStepIsNotApplied() {
        FirstNetworkModel model = FirstNetworkModel.create(1);
        model.compile(new Adam(1e-3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 6, 32);
        model.trainOnBatch(x, y);
        Map<String, INDArray> before = model.getWeights();
        y.putScalar(4, 9, Float.POSITIVE_INFINITY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.trainOnBatch(x, y));
        assertEquals("the target for output 'b' holds Infinity at sample 4 (element [4, 9]): the loss is Infinity; the"
                + " step was not applied: the weights and the optimizer's state are unchanged. Remove or replace"
                + " non-finite values before training", e.getMessage());
        assertWeightsBitwiseEqual(before, model.getWeights());
        y.putScalar(4, 9, Float.NaN);
        assertEquals("the target for output 'b' holds NaN at sample 4 (element [4, 9])", assertThrows(
                IllegalArgumentException.class, () -> model.trainOnBatch(x, y)).getMessage());
        assertWeightsBitwiseEqual(before, model.getWeights());
    }

    @Test
    void aDivergedStepOnFiniteDataIsRefusedWithoutBlamingTheData() {
        FirstNetworkModel model = FirstNetworkModel.create(1);
        model.compile(new SGD(1e30));
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 6, 32);
        Map<String, INDArray> last = model.getWeights();
        RuntimeException e = null;
        for (int step = 0; step < 10 && e == null; step++) {
            try {
                model.trainOnBatch(x, y);
                last = model.getWeights();
            } catch (ArithmeticException diverged) {
                e = diverged;
            }
        }
        assertTrue(e != null, "SGD(1e30) should diverge within 10 steps");
        assertTrue(e.getMessage().contains("though the inputs and targets of FirstNetwork are finite: training has"
                + " diverged; the step was not applied"), e.getMessage());
        assertWeightsBitwiseEqual(last, model.getWeights());
    }

    @Test
    void aNaNInOneOfTwoInputsIsNamed() {
        NewsHeadlinesModel news = NewsHeadlinesModel.create(1);
        news.compile(new Adam(1e-3));
        Map<String, INDArray> before = news.getWeights();
        INDArray main = Nd4j.ones(DataType.INT, 4, NewsSample.WORDS);
        INDArray aux = Nd4j.rand(DataType.FLOAT, 4, NewsSample.METADATA);
        aux.putScalar(1, 2, Float.NaN);
        Map<String, INDArray> inputs = Map.of("mainInput", main, "auxInput", aux);
        Map<String, INDArray> targets = new HashMap<>();
        news.outputs().forEach(o -> targets.put(o.name(), Nd4j.zeros(DataType.FLOAT, 4, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> news.trainOnBatch(inputs, targets));
        assertTrue(e.getMessage().startsWith("input 'auxInput' holds NaN at sample 1 (element [1, 2]): the loss is NaN"),
                e.getMessage());
        assertWeightsBitwiseEqual(before, news.getWeights());
    }
}
