package dev.kiln.runtime.train;

import static dev.kiln.runtime.train.ScriptedModel.output;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Keras's names in History and Evaluation, for one and for several outputs. */
class TrainerLogsTest {

    private final Trainer trainer = new Trainer(new ManualClock(1_000_000));

    /** Two samples of class ids for the output 'main' and two values for 'aux'. */
    private static ArraySource twoOutputs() {
        INDArray x = Nd4j.create(new float[] {0, 1}, 2, 1);
        INDArray main = Nd4j.create(new float[][] {{0, 1}, {1, 0}});
        INDArray aux = Nd4j.create(new float[] {0.5f, 0.25f}, 2, 1);
        return new ArraySource(new INDArray[] {x}, new INDArray[] {main, aux}, false);
    }

    @Test
    void oneOutputLogsBareNames() {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                output("digits", Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY, Metric.TOP_K_CATEGORICAL_ACCURACY));
        INDArray x = Nd4j.create(new float[] {0, 1}, 2, 1);
        ArraySource data = ArraySource.of(x, Nd4j.create(new float[][] {{0, 1}, {1, 0}}));
        History history = trainer.fit(model, data, Fit.epochs(2).verbose(0).validationData(data));
        assertEquals(List.of("loss", "accuracy", "top_k_categorical_accuracy",
                "val_loss", "val_accuracy", "val_top_k_categorical_accuracy"), List.copyOf(history.keys()));
        assertEquals(List.of(1.0, 1.0), history.get("accuracy"));   // the scripted model predicts its targets
    }

    @Test
    void severalOutputsPrefixMetricsAndLogEachLoss() {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                output("main", Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY),
                output("aux", Loss.MEAN_SQUARED_ERROR, Metric.MEAN_ABSOLUTE_ERROR, Metric.MEAN_ABSOLUTE_ERROR));
        model.trainLoss = step -> 0.5;
        History history = trainer.fit(model, twoOutputs(), Fit.epochs(1).verbose(0).validationData(twoOutputs()));
        assertEquals(List.of("loss", "main_accuracy", "aux_mean_absolute_error", "aux_mean_absolute_error_1",
                "main_loss", "aux_loss", "val_loss", "val_main_accuracy", "val_aux_mean_absolute_error",
                "val_aux_mean_absolute_error_1", "val_main_loss", "val_aux_loss"), List.copyOf(history.keys()));
        assertEquals(0.5, history.last("main_loss"), 1e-12);   // the script gives output o the loss * (o + 1)
        assertEquals(1.0, history.last("aux_loss"), 1e-12);
    }

    @Test
    void anOutputWithoutLossGetsNoLossName() {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                output("main", Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY),
                output("aux", Loss.NONE, Metric.MEAN_ABSOLUTE_ERROR));
        History history = trainer.fit(model, twoOutputs(), Fit.epochs(1).verbose(0));
        assertEquals(List.of("loss", "main_accuracy", "aux_mean_absolute_error"), List.copyOf(history.keys()));
    }

    @Test
    void evaluationUsesTheSameNamesWithoutPrefix() {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                output("main", Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY),
                output("aux", Loss.MEAN_SQUARED_ERROR, Metric.MEAN_ABSOLUTE_ERROR));
        model.valLoss = steps -> 0.25;
        Evaluation evaluation = trainer.evaluate(model, twoOutputs(), 1);
        assertEquals(List.of("loss", "main_accuracy", "aux_mean_absolute_error", "main_loss", "aux_loss"),
                evaluation.names());
        assertEquals(0.25, evaluation.loss(), 1e-12);
        assertEquals(Map.of("main", 0.25, "aux", 0.5), evaluation.outputLosses());
        assertEquals(List.of("main_accuracy", "aux_mean_absolute_error"), List.copyOf(evaluation.metrics().keySet()));
        assertEquals(1.0, evaluation.get("main_accuracy"), 1e-12);
        assertEquals("loss: 0.2500 - main_accuracy: 1.0000 - aux_mean_absolute_error: 0.0000e+00 - main_loss: 0.2500"
                + " - aux_loss: 0.5000", evaluation.toString());
    }

    @Test
    void aMetricThatDoesNotFitTheTargetsNamesTheOutput() {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                output("main", Loss.MEAN_SQUARED_ERROR, Metric.SPARSE_CATEGORICAL_ACCURACY));
        ArraySource data = ArraySource.of(Nd4j.create(new float[] {0, 1}, 2, 1),
                Nd4j.create(new float[][] {{0, 1}, {1, 0}}));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> trainer.evaluate(model, data, 2));
        assertEquals("output 'main': sparse_categorical_accuracy needs one class id per sample, targets of shape"
                + " (batch) or (batch, 1), but the targets are (batch, 2) for predictions (batch, 2); for one-hot"
                + " targets use CATEGORICAL_ACCURACY (or the loss CATEGORICAL_CROSSENTROPY with ACCURACY)",
                e.getMessage());
    }
}
