package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.SGD;
import dev.kiln.runtime.train.Fit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A {@code JavaRDD<Sample>} trains and scores as the same values in a {@code Dataset<Row>} do, and is checked alike. */
class SamplesTest {

    private static final int ROWS = 48;
    private static final SparkTesting.TwoHeadsData DATA = SparkTesting.TwoHeadsData.random(21, ROWS, 5);
    private static final INDArray A = DATA.a();
    private static final INDArray B = DATA.b();
    private static final INDArray KIND = DATA.kind();
    private static final INDArray AMOUNT = DATA.amount();

    /** The rows as samples: float[] for 'a', double[] for 'b', an int class id, a double[] amount. */
    private static JavaRDD<Sample> samples(int partitions) {
        List<Sample> samples = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            samples.add(Sample.of("a", A.getRow(r).toFloatVector()).with("b", B.getRow(r).toDoubleVector())
                    .with("kind", KIND.getInt(r)).with("amount", AMOUNT.getRow(r).toDoubleVector()));
        }
        return SparkTesting.context().parallelize(samples, partitions);
    }

    /**
     * The same values as samples and as rows, in the same partitions, train to the same bits (synchronous gradients
     * and parameter averaging alike). Column 'a' holds what the float[] of the samples hold.
     */
    @Test
    void samplesTrainAsTheSameRowsDo() {
        INDArray a = A.castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
        for (boolean sync : new boolean[] {true, false}) {
            Fit fit = Fit.epochs(2).batchSize(8).seed(3).verbose(0);
            SparkFit options = sync ? SparkFit.synchronousGradients(fit)
                    : SparkFit.parameterAveraging(fit, 2, () -> new Adam(0.01));
            TwoHeadsModel fromRows = TwoHeadsModel.create(5, DataType.DOUBLE);
            fromRows.compile(new Adam(0.01));
            KilnSpark.fit(fromRows, SparkTesting.frame(List.of("a", "b", "kind", "amount"), List.of(a, B, KIND, AMOUNT),
                    2), options);
            TwoHeadsModel fromSamples = TwoHeadsModel.create(5, DataType.DOUBLE);
            fromSamples.compile(new Adam(0.01));
            SparkRun run = KilnSpark.fit(fromSamples, samples(2), options);

            assertArrayEquals(fromRows.parameterBuffer().toDoubleVector(), fromSamples.parameterBuffer()
                    .toDoubleVector(), sync ? "synchronous gradients" : "parameter averaging");
            assertEquals(2, run.history().epochs().size());
        }
    }

    @Test
    void scoringSamplesAddsTheOutputsByName() {
        TwoHeadsModel model = TwoHeadsModel.create(7);
        List<Sample> inputs = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            inputs.add(Sample.of("a", A.getRow(r).toFloatVector()).with("b", B.getRow(r).toDoubleVector())
                    .with("id", r));
        }
        JavaRDD<Sample> rdd = SparkTesting.context().parallelize(inputs, 3);
        List<Sample> scored = KilnSpark.predict(model, rdd, 8, "").collect();
        Map<String, INDArray> expected = model.predict(dev.kiln.runtime.data.Dataset.ofInputs(Map.of(
                "a", A.castTo(DataType.FLOAT), "b", B.castTo(DataType.FLOAT))), 8);

        assertEquals(ROWS, scored.size());
        for (int r = 0; r < ROWS; r++) {
            Sample s = scored.get(r);
            assertEquals(List.of("a", "b", "id", "kind", "amount"), List.copyOf(s.names()));
            assertEquals((long) r, s.get("id"), "the samples' own values are kept");
            assertArrayEquals(expected.get("kind").getRow(r).toFloatVector(), (float[]) s.get("kind"), "row " + r);
            assertArrayEquals(expected.get("amount").getRow(r).toFloatVector(), s.floats("amount"), "row " + r);
        }
        List<Sample> prefixed = KilnSpark.predict(model, rdd, 32, "p_").collect();
        assertEquals(List.of("a", "b", "id", "p_kind", "p_amount"), List.copyOf(prefixed.get(0).names()));
    }

    /** Sample {@code bad} of 6 (three partitions of 2) replaced by {@code replacement}. */
    private static JavaRDD<Sample> withBad(int bad, Sample replacement) {
        List<Sample> samples = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            samples.add(r == bad ? replacement : good(r));
        }
        return SparkTesting.context().parallelize(samples, 3);
    }

    private static Sample good(int r) {
        return Sample.of("a", new float[] {1, 2, 3, 4}).with("b", new double[] {1, 2, 3}).with("kind", r % 3)
                .with("amount", new double[] {0.5, -0.5});
    }

    private static String trainingFails(JavaRDD<Sample> samples) {
        TwoHeadsModel model = TwoHeadsModel.create(1);
        model.compile(new SGD(0.1));
        return assertThrows(IllegalArgumentException.class, () -> KilnSpark.fit(model, samples,
                SparkFit.synchronousGradients(Fit.epochs(1).batchSize(2).verbose(0)))).getMessage();
    }

    @Test
    void aWrongLengthIsNamedByValueAndSample() {
        assertEquals("sample 3 (sample 1 of partition 1): 'b' has 2 values, but the input 'b' takes an array of 3"
                + " numbers (the input's shape (3))", trainingFails(withBad(3, good(3).with("b", new double[] {1, 2}))));
        assertEquals("sample 5 (sample 1 of partition 2): 'amount' has 3 values, but the output 'amount' takes an array"
                + " of 2 numbers (targets of the output's shape (2) for MEAN_SQUARED_ERROR)",
                trainingFails(withBad(5, good(5).with("amount", new long[] {1, 2, 3}))));
        assertEquals("sample 0 (sample 0 of partition 0): 'a' holds the number 1.0, but the input 'a' takes an array"
                + " of 4 numbers (the input's shape (4))", trainingFails(withBad(0, good(0).with("a", 1.0))));
    }

    @Test
    void aMissingValueIsNamedWithWhatTheSampleHas() {
        Sample noB = Sample.of("a", new float[] {1, 2, 3, 4}).with("kind", 1).with("amount", new double[] {0, 0});
        assertEquals("sample 2 (sample 0 of partition 1): 'b' is missing: the model's input 'b' takes an array of 3"
                + " numbers (the input's shape (3)); the sample has [a, kind, amount]", trainingFails(withBad(2, noB)));
        Sample noLabel = Sample.of("a", new float[] {1, 2, 3, 4}).with("b", new double[] {1, 2, 3})
                .with("amount", new double[] {0, 0});
        assertEquals("sample 4 (sample 0 of partition 2): 'kind' is missing: the model's output 'kind' takes a number"
                + " or an array of 1 number (class ids in 0..2 for SPARSE_CATEGORICAL_CROSSENTROPY); the sample has"
                + " [a, b, amount]", trainingFails(withBad(4, noLabel)));
    }

    @Test
    void aValueOfTheWrongTypeANaNAndANullSampleAreNamed() {
        Sample text = Sample.of(Map.of("a", new float[] {1, 2, 3, 4}, "b", "1 2 3", "kind", 0,
                "amount", new double[] {0, 0}));
        assertEquals("sample 1 (sample 1 of partition 0): 'b' is a java.lang.String, but the input 'b' takes an array"
                + " of 3 numbers (the input's shape (3)) (a float[], double[], int[] or long[], or a number)",
                trainingFails(withBad(1, text)));
        assertEquals("sample 3 (sample 1 of partition 1): 'a' has NaN at position 2; Kiln trains and predicts on finite"
                + " values only", trainingFails(withBad(3, good(3).with("a", new float[] {1, 2, Float.NaN, 4}))));
        assertEquals("sample 4 (sample 0 of partition 2): 'kind' holds 1.5, which is not a class id in 0..2 (the output"
                + " 'kind' has 3 classes)", trainingFails(withBad(4, good(4).with("kind", 1.5))));
        assertEquals("sample 5 (sample 1 of partition 2): is null", trainingFails(withBad(5, null)));
    }

    @Test
    void scoringChecksTheInputsAndTheNamesItAdds() {
        List<Sample> inputs = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            inputs.add(Sample.of("a", new float[] {1, 2, 3, 4}).with("b", new double[] {1, r == 2
                    ? Double.NEGATIVE_INFINITY : 2, 3}));
        }
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> KilnSpark.predict(
                TwoHeadsModel.create(1), SparkTesting.context().parallelize(inputs, 2)));
        assertEquals("sample 2 (sample 0 of partition 1): 'b' has -Infinity at position 1; Kiln trains and predicts on"
                + " finite values only", nan.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> KilnSpark.predict(TwoHeadsModel.create(1), withBad(-1, null)));
        assertEquals("sample 0 (sample 0 of partition 0): already has a value 'kind', the name under which predict adds"
                + " an output: remove it, or give predict a prefix for the outputs (e.g. \"predicted_\")",
                taken.getMessage());
    }

    @Test
    void aSampleIsImmutableAndComparesByValue() {
        Sample one = Sample.of("x", new int[] {1, 2});
        Sample two = one.with("y", 3);
        assertEquals(List.of("x"), List.copyOf(one.names()));
        assertEquals(Sample.of("x", new int[] {1, 2}).with("y", 3L), two);
        assertEquals(two.hashCode(), Sample.of("x", new int[] {1, 2}).with("y", 3).hashCode());
        assertEquals("Sample{x=int[2], y=3}", two.toString());
        assertArrayEquals(new float[] {1, 2}, two.floats("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> two.doubles("z"));
        assertEquals("the sample has no value 'z'; its values are [x, y]", e.getMessage());
    }
}
