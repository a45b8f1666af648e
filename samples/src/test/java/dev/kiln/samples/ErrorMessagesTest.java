package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.SGD;
import dev.kiln.runtime.train.Fit;
import dev.kiln.runtime.train.KilnTrainingException;
import dev.kiln.samples.digits.DigitsMlpModel;
import dev.kiln.samples.first.FirstNetworkModel;
import dev.kiln.samples.first.FirstSample;
import dev.kiln.samples.news.NewsHeadlinesModel;
import dev.kiln.samples.news.NewsSample;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What a user sees when something is wrong at run time: each message names the input, output, batch or sample. */
class ErrorMessagesTest {
    static final Fit ONE_EPOCH = Fit.epochs(1).verbose(0);
    static final String NAN_ADVICE = "; lower the learning rate or check the data for NaN"
            + " (the callback TerminateOnNaN stops training instead of throwing)";

    @Test
    void aHugeLearningRateDivergesAndTheExceptionNamesBatchAndOutput() {
        FirstNetworkModel model = FirstNetworkModel.create(1);
        model.compile(new SGD(1e6));
        KilnTrainingException e = assertThrows(KilnTrainingException.class,
                () -> model.fit(FirstSample.linearMap(256, 1), Fit.epochs(3).verbose(0)));
        assertEquals("loss became Infinity at epoch 2, batch 1 (output 'b' loss = Infinity)" + NAN_ADVICE,
                e.getMessage());
        assertEquals(1, e.epoch());
        assertEquals(0, e.batch());
    }

    @Test
    void finiteDataThatOverflowsGivesNaNAndTheExceptionNamesBatchAndOutput() {
        FirstNetworkModel model = FirstNetworkModel.create(1);
        model.compile(new Adam(1e-3));
        INDArray huge = Nd4j.rand(DataType.FLOAT, 64, 32).muli(1e30f); // finite, but x @ W overflows float32
        KilnTrainingException e = assertThrows(KilnTrainingException.class,
                () -> model.fit(Dataset.of(huge, Nd4j.rand(DataType.FLOAT, 64, 32)), ONE_EPOCH));
        assertEquals("loss became NaN at epoch 1, batch 2 (output 'b' loss = NaN)" + NAN_ADVICE, e.getMessage());
    }

    @Test
    void aDataSetRefusesNaNAndNamesTheInputAndSample() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 64);
        x.putScalar(3, 5, Float.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(x, Nd4j.zeros(DataType.FLOAT, 10)));
        assertEquals("input 'x' contains NaN at sample 3; remove or replace the non-finite values before making the"
                + " data set", e.getMessage());

        Map<String, INDArray> inputs = new LinkedHashMap<>();
        inputs.put("mainInput", Nd4j.rand(DataType.FLOAT, 10, NewsSample.VOCABULARY));
        INDArray aux = Nd4j.rand(DataType.FLOAT, 10, NewsSample.METADATA);
        aux.putScalar(7, 0, Float.POSITIVE_INFINITY);
        inputs.put("auxInput", aux);
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofInputs(inputs));
        assertEquals("input 'auxInput' contains Infinity at sample 7; remove or replace the non-finite values before"
                + " making the data set", named.getMessage());
    }

    @Test
    void aWrongShapeAtPredictOrFitNamesTheInput() {
        DigitsMlpModel digits = DigitsMlpModel.create(1);
        IllegalArgumentException atPredict = assertThrows(IllegalArgumentException.class,
                () -> digits.predict(Nd4j.rand(DataType.FLOAT, 5, 63)));
        assertEquals("input 'pixels' must have shape (batch, 64) (batch first), but was given an array of shape"
                + " [5, 63]", atPredict.getMessage());

        digits.compile(new Adam(1e-3));
        IllegalArgumentException atFit = assertThrows(IllegalArgumentException.class, () -> digits.fit(
                Dataset.of(Nd4j.rand(DataType.FLOAT, 50, 63), Nd4j.zeros(DataType.FLOAT, 50)), ONE_EPOCH));
        assertEquals("input 'pixels' must have shape (batch, 64) (batch first), but was given an array of shape"
                + " [32, 63]", atFit.getMessage());

        NewsHeadlinesModel news = NewsHeadlinesModel.create(1);
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class, () -> news.predict(
                Nd4j.zeros(DataType.INT32, 4, NewsSample.WORDS), Nd4j.rand(DataType.FLOAT, 4, 6)));
        assertEquals("input 'auxInput' must have shape (batch, 5) (batch first), but was given an array of shape"
                + " [4, 6]", second.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> news.predict(Map.of("mainInput", Nd4j.rand(DataType.FLOAT, 4, NewsSample.VOCABULARY))));
        assertEquals("missing input 'auxInput'; NewsHeadlines needs [mainInput, auxInput]", missing.getMessage());
    }

    @Test
    void aWrongTargetShapeNamesTheOutput() {
        FirstNetworkModel first = FirstNetworkModel.create(1);
        first.compile(new Adam(1e-3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> first.fit(
                Dataset.of(Nd4j.rand(DataType.FLOAT, 64, 32), Nd4j.rand(DataType.FLOAT, 64, 16)), ONE_EPOCH));
        assertEquals("targets for output 'b' must be of its shape (batch, 32), but were given an array of shape"
                + " [32, 16]", e.getMessage());

        DigitsMlpModel digits = DigitsMlpModel.create(1);
        digits.compile(new Adam(1e-3));
        IllegalArgumentException oneHot = assertThrows(IllegalArgumentException.class, () -> digits.fit(
                Dataset.of(Nd4j.rand(DataType.FLOAT, 64, 64), Nd4j.zeros(DataType.FLOAT, 64, 10)), ONE_EPOCH));
        assertEquals("targets for output 'digit' must be class ids of shape (batch) or (batch, 1) for"
                + " SPARSE_CATEGORICAL_CROSSENTROPY, but were given an array of shape [32, 10]; for one-hot targets"
                + " use CATEGORICAL_CROSSENTROPY", oneHot.getMessage());
    }

    @Test
    void aLabelOutOfRangeIsNamedWithItsSample() {
        DigitsMlpModel digits = DigitsMlpModel.create(1);
        digits.compile(new Adam(1e-3));
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 100);
        labels.putScalar(77, 10);
        Dataset data = Dataset.of(Nd4j.rand(DataType.FLOAT, 100, 64), labels);
        String expected = "label 10 at sample 77 of the targets for output 'digit' is not a class id in 0..9 (the"
                + " output has 10 classes)";
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> digits.fit(data, ONE_EPOCH)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> digits.evaluate(data)).getMessage());
        labels.putScalar(77, 2.5);
        assertEquals("label 2.5 at sample 77 of the targets for output 'digit' is not a class id in 0..9 (the output"
                + " has 10 classes)", assertThrows(IllegalArgumentException.class,
                        () -> digits.fit(Dataset.of(Nd4j.rand(DataType.FLOAT, 100, 64), labels), ONE_EPOCH))
                                .getMessage());
    }
}
