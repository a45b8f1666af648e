package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DatasetTest {

    /** {@code n} samples of {@code width} features; sample i holds i*width .. i*width+width-1. */
    static INDArray counting(int n, int width) {
        return Nd4j.arange(n * width).castTo(DataType.FLOAT).reshape(n, width);
    }

    static Map<String, INDArray> named(Object... namesAndArrays) {
        Map<String, INDArray> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndArrays.length; i += 2) {
            map.put((String) namesAndArrays[i], (INDArray) namesAndArrays[i + 1]);
        }
        return map;
    }

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    @Test
    void positionalWithTargets() {
        INDArray x = counting(5, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 5);
        Dataset data = Dataset.of(x, y);
        assertEquals(5, data.size());
        assertTrue(data.hasTargets());
        assertFalse(data.isNamed());
        assertEquals(List.of(), data.inputNames());
        assertEquals(List.of(), data.targetNames());
        assertSame(x, data.inputs().get(0));
        assertSame(y, data.targets().get(0));
        assertEquals("Dataset(5 samples; input 'x' (3) FLOAT; target 'y' () FLOAT)", data.toString());
    }

    @Test
    void positionalInputsOnly() {
        Dataset data = Dataset.of(counting(4, 2));
        assertEquals(4, data.size());
        assertFalse(data.hasTargets());
        assertEquals(List.of(), data.targets());
    }

    @Test
    void namedKeepsOrder() {
        Dataset data = Dataset.of(named("main", counting(6, 2), "aux", counting(6, 1)),
                named("out", counting(6, 1), "aux_out", counting(6, 4)));
        assertTrue(data.isNamed());
        assertEquals(List.of("main", "aux"), data.inputNames());
        assertEquals(List.of("out", "aux_out"), data.targetNames());
    }

    @Test
    void namedInputsOnly() {
        Dataset data = Dataset.ofInputs(named("b", counting(3, 1), "a", counting(3, 1)));
        assertEquals(List.of("b", "a"), data.inputNames());
        assertFalse(data.hasTargets());
    }

    @Test
    void sampleCountsMustAgree() {
        assertEquals("input 'aux' has 100 samples but input 'main' has 120",
                message(() -> Dataset.ofInputs(named("main", counting(120, 2), "aux", counting(100, 2)))));
        assertEquals("target 'y' has 4 samples but input 'x' has 5",
                message(() -> Dataset.of(counting(5, 2), counting(4, 1))));
    }

    @Test
    void rejectsNonFiniteValuesNamingTheSample() {
        INDArray x = counting(20, 3);
        x.putScalar(17, 1, Float.NaN);
        assertEquals("input 'x' contains NaN at sample 17; remove or replace the non-finite values before making "
                + "the data set", message(() -> Dataset.of(x)));
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 20);
        y.putScalar(3, Double.NEGATIVE_INFINITY);
        assertTrue(message(() -> Dataset.of(counting(20, 3), y))
                .startsWith("target 'y' contains -Infinity at sample 3"));
        INDArray aux = counting(20, 2);
        aux.putScalar(19, 0, Float.POSITIVE_INFINITY);
        assertTrue(message(() -> Dataset.ofInputs(named("main", counting(20, 1), "aux", aux)))
                .startsWith("input 'aux' contains Infinity at sample 19"));
    }

    @Test
    void findsTheSampleInColumnMajorArraysAndViews() {
        INDArray x = counting(20, 3);
        x.putScalar(11, 2, Float.NaN);
        assertTrue(message(() -> Dataset.of(x.dup('f'))).startsWith("input 'x' contains NaN at sample 11"));
        assertTrue(message(() -> Dataset.of(x.get(NDArrayIndex.interval(5, 15), NDArrayIndex.interval(1, 3))))
                .startsWith("input 'x' contains NaN at sample 6"));
    }

    @Test
    void integerArraysNeedNoFiniteCheck() {
        assertEquals(3, Dataset.of(Nd4j.createFromArray(1, 2, 3)).size());
    }

    @Test
    void rejectsEmptyAndMalformedArrays() {
        assertEquals("input 'x' has no samples; a data set needs at least one",
                message(() -> Dataset.of(Nd4j.create(DataType.FLOAT, 0, 3))));
        assertTrue(message(() -> Dataset.of(Nd4j.scalar(1f))).startsWith("input 'x' is a scalar"));
        assertEquals("a data set needs at least one input", message(() -> Dataset.ofInputs(Map.of())));
        assertTrue(message(() -> Dataset.of(named("a", counting(2, 1)), Map.of()))
                .contains("use Dataset.ofInputs(inputs)"));
        assertEquals("input 'x' is null", message(() -> Dataset.of(null, counting(2, 1))));
        assertEquals("target 'out' is null", message(() -> Dataset.of(named("in", counting(2, 1)),
                named("out", null))));
    }

    @Test
    void alignsPositionalToASingleInputModel() {
        INDArray x = counting(5, 3);
        INDArray y = counting(5, 1);
        Dataset.Aligned aligned = Dataset.of(x, y).aligned(List.of("features"), List.of("digit"));
        assertSame(x, aligned.inputs()[0]);
        assertSame(y, aligned.targets()[0]);
        assertEquals(List.of("features"), aligned.inputNames());
        assertEquals(List.of("digit"), aligned.targetNames());
        assertTrue(aligned.hasTargets());
        assertEquals(5, aligned.size());
    }

    @Test
    void positionalCountMismatchSaysToUseNames() {
        Dataset data = Dataset.of(counting(5, 3), counting(5, 1));
        assertEquals("the model has 2 inputs (main, aux) but the data set has 1 unnamed input; pass them by name "
                + "with Dataset.of(Map, Map)", message(() -> data.aligned(List.of("main", "aux"), List.of("out"))));
        assertEquals("the model has 2 outputs (out, aux_out) but the data set has 1 unnamed target; pass them by "
                + "name with Dataset.of(Map, Map)",
                message(() -> data.aligned(List.of("in"), List.of("out", "aux_out"))));
        assertEquals("the model has 2 inputs (main, aux) but the data set has 1 unnamed input; pass them by name "
                + "with Dataset.ofInputs(Map)", message(() -> data.alignedInputs(List.of("main", "aux"))));
    }

    @Test
    void alignsNamedArraysToTheModelsOrder() {
        INDArray main = counting(4, 2);
        INDArray aux = counting(4, 1);
        INDArray out = counting(4, 1);
        Dataset data = Dataset.of(named("aux", aux, "main", main), named("out", out));
        Dataset.Aligned aligned = data.aligned(List.of("main", "aux"), List.of("out"));
        assertSame(main, aligned.inputs()[0]);
        assertSame(aux, aligned.inputs()[1]);
        assertSame(out, aligned.targets()[0]);
    }

    @Test
    void namedMismatchNamesMissingAndUnexpectedArrays() {
        Dataset data = Dataset.of(named("main", counting(4, 2), "auxx", counting(4, 1)), named("out", counting(4, 1)));
        assertEquals("the data set's inputs (main, auxx) do not match the model's inputs (main, aux): missing input "
                + "'aux' (did you mean 'auxx'?); unexpected input 'auxx'",
                message(() -> data.aligned(List.of("main", "aux"), List.of("out"))));
        assertEquals("the data set's targets (out) do not match the model's outputs (out, extra): missing target for "
                + "output 'extra'", message(() -> data.aligned(List.of("main", "auxx"), List.of("out", "extra"))));
    }

    @Test
    void trainingNeedsTargetsButPredictionDoesNot() {
        Dataset data = Dataset.of(counting(4, 2));
        assertTrue(message(() -> data.aligned(List.of("in"), List.of("out")))
                .startsWith("the data set has no targets"));
        Dataset.Aligned aligned = data.alignedInputs(List.of("in"));
        assertFalse(aligned.hasTargets());
        assertEquals(0, aligned.targets().length);
        Dataset withTargets = Dataset.of(counting(4, 2), counting(4, 1));
        assertEquals(0, withTargets.alignedInputs(List.of("in")).targets().length);
    }

    @Test
    void splitTakesTheLastFractionAsViews() {
        INDArray x = counting(10, 2);
        INDArray y = Nd4j.arange(10).castTo(DataType.FLOAT);
        TrainValidation parts = Dataset.of(x, y).split(0.2);
        assertEquals(8, parts.train().size());
        assertEquals(2, parts.validation().size());
        assertEquals(counting(10, 2).getRow(8), parts.validation().inputs().get(0).getRow(0));
        assertEquals(9f, parts.validation().targets().get(0).getFloat(1));
        assertTrue(parts.train().inputs().get(0).isView());
        x.putScalar(9, 1, -1f);
        assertEquals(-1f, parts.validation().inputs().get(0).getFloat(1, 1), "views share the data");
    }

    @Test
    void splitKeepsNames() {
        Dataset data = Dataset.of(named("a", counting(4, 1)), named("b", counting(4, 1)));
        TrainValidation parts = data.split(0.5);
        assertEquals(List.of("a"), parts.validation().inputNames());
        assertEquals(List.of("b"), parts.train().targetNames());
    }

    @Test
    void splitRoundsTheTrainingPartDownAsKerasDoes() {
        TrainValidation parts = Dataset.of(counting(10, 1)).split(0.25);
        assertEquals(7, parts.train().size());
        assertEquals(3, parts.validation().size());
    }

    @Test
    void splitMustLeaveBothParts() {
        Dataset data = Dataset.of(counting(5, 1));
        assertEquals("a validation fraction of 1.0E-20 of 5 samples leaves no validation samples",
                message(() -> data.split(1e-20)));
        assertEquals("a validation fraction of 0.9 of 5 samples leaves no training samples",
                message(() -> data.split(0.9)));
        assertEquals("a test fraction of 0.9 of 5 samples leaves no training samples",
                message(() -> data.trainTestSplit(0.9, 1)));
        assertTrue(message(() -> data.split(1.0)).startsWith("the validation fraction must lie strictly between"));
        assertTrue(message(() -> data.split(Double.NaN)).startsWith("the validation fraction must lie strictly"));
    }

    @Test
    void trainTestSplitIsSeededAndKeepsPairs() {
        INDArray x = counting(50, 3);
        INDArray y = Nd4j.arange(50).castTo(DataType.FLOAT);
        Dataset data = Dataset.of(x, y);
        TrainTest first = data.trainTestSplit(0.2, 7);
        TrainTest again = data.trainTestSplit(0.2, 7);
        TrainTest other = data.trainTestSplit(0.2, 8);
        assertEquals(40, first.train().size());
        assertEquals(10, first.test().size());
        assertEquals(first.test().targets().get(0), again.test().targets().get(0));
        assertNotEquals(first.test().targets().get(0), other.test().targets().get(0));
        float[] ids = first.train().targets().get(0).toFloatVector();
        for (int i = 0; i < ids.length; i++) {
            assertEquals(x.getRow((long) ids[i]), first.train().inputs().get(0).getRow(i), "sample " + i);
        }
        float[] all = new float[50];
        System.arraycopy(ids, 0, all, 0, 40);
        System.arraycopy(first.test().targets().get(0).toFloatVector(), 0, all, 40, 10);
        Arrays.sort(all);
        assertArrayEquals(Nd4j.arange(50).castTo(DataType.FLOAT).toFloatVector(), all);
        assertFalse(first.train().inputs().get(0).isView(), "copies");
    }
}
