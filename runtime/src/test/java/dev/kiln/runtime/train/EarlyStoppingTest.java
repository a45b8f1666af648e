package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    /** Runs the callback over one value per epoch; returns the epoch after which it asked to stop, or -1. */
    private static int drive(EarlyStopping callback, ScriptedModel model, String monitor, double... values) {
        TrainingContext context = Contexts.of(model, "loss", "accuracy", "val_loss", "val_accuracy");
        callback.setContext(context);
        callback.onTrainBegin();
        for (int epoch = 0; epoch < values.length; epoch++) {
            model.w = epoch;   // the weights "of" each epoch
            callback.onEpochEnd(epoch, Map.of(monitor, values[epoch]));
            if (context.stopRequested()) {
                callback.onTrainEnd(Map.of());
                return epoch;
            }
        }
        callback.onTrainEnd(Map.of());
        return -1;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        EarlyStopping stopping = new EarlyStopping().patience(2);
        assertEquals(3, drive(stopping, ScriptedModel.single(), "val_loss", 1.0, 0.5, 0.6, 0.7, 0.4));
        assertEquals(3, stopping.stoppedEpoch());
        assertEquals(1, stopping.bestEpoch());
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochWithoutImprovement() {
        assertEquals(1, drive(new EarlyStopping(), ScriptedModel.single(), "val_loss", 1.0, 1.0));
    }

    @Test
    void minDeltaRequiresAClearImprovement() {
        assertEquals(1, drive(new EarlyStopping().patience(1).minDelta(0.1), ScriptedModel.single(), "val_loss",
                1.0, 0.95, 0.92));
        assertEquals(2, drive(new EarlyStopping().patience(1).minDelta(0.1), ScriptedModel.single(), "val_loss",
                1.0, 0.85, 0.80));
    }

    @Test
    void accuracyIsMaximizedInAutoMode() {
        assertEquals(-1, drive(new EarlyStopping().monitor("val_accuracy"), ScriptedModel.single(), "val_accuracy",
                0.5, 0.6, 0.7));
        assertEquals(1, drive(new EarlyStopping().monitor("val_accuracy"), ScriptedModel.single(), "val_accuracy",
                0.5, 0.4));
        assertEquals(-1, drive(new EarlyStopping().monitor("val_accuracy").mode(MonitorMode.MIN),
                ScriptedModel.single(), "val_accuracy", 0.5, 0.4));
    }

    @Test
    void restoresTheBestWeightsAtTheEnd() {
        ScriptedModel model = ScriptedModel.single();
        drive(new EarlyStopping().patience(2).restoreBestWeights(true), model, "val_loss", 1.0, 0.5, 0.6, 0.7);
        assertEquals(1.0, model.w);   // the weights after epoch 1
    }

    @Test
    void aBaselineNotBeatenKeepsCountingPatience() {
        // as in Keras, epochs that improve without beating the baseline still count; an epoch without improvement
        // then stops
        assertEquals(2, drive(new EarlyStopping().patience(2).baseline(0.1), ScriptedModel.single(), "val_loss",
                1.0, 0.5, 0.5));
        assertEquals(-1, drive(new EarlyStopping().patience(2), ScriptedModel.single(), "val_loss", 1.0, 0.5, 0.5));
    }

    @Test
    void startFromEpochIgnoresTheWarmUp() {
        assertEquals(-1, drive(new EarlyStopping().startFromEpoch(3), ScriptedModel.single(), "val_loss",
                1.0, 2.0, 3.0));
    }

    @Test
    void monitoringAValueThatIsNotLoggedFailsAtTrainBegin() {
        EarlyStopping stopping = new EarlyStopping();
        stopping.setContext(Contexts.of(ScriptedModel.single(), "loss", "accuracy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, stopping::onTrainBegin);
        assertEquals("EarlyStopping monitors 'val_loss', but fit logs only [loss, accuracy]; give Fit a"
                + " validationSplit(...) or validationData(...), or monitor 'loss'", e.getMessage());
    }

    @Test
    void throughFitItStopsAndRestores() {
        ScriptedModel model = ScriptedModel.single();
        // two steps per epoch; validation loss after epochs 0..: 3, 2, 1, 2, 2, 2, ...
        model.valLoss = stepsDone -> stepsDone <= 6 ? 4 - stepsDone / 2.0 : 2;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        History history = new Trainer(new ManualClock(1_000)).fit(model, ArraySource.ids(4), Fit.epochs(20)
                .batchSize(2).verbose(2).printTo(new PrintStream(text, true))
                .validationData(ArraySource.ids(2))
                .callbacks(new EarlyStopping().patience(2).restoreBestWeights(true).verbose(1)));
        assertEquals(List.of(0, 1, 2, 3, 4), history.epochs());
        assertEquals(List.of(3.0, 2.0, 1.0, 2.0, 2.0), history.get("val_loss"));
        assertEquals(6.0, model.w);   // after epoch 2 = 6 steps
        String out = text.toString();
        assertTrue(out.contains("Epoch 5: early stopping\nRestoring model weights from the end of the best epoch: 3.\n"),
                out);
        assertFalse(out.contains("Epoch 6/20"));
    }
}
