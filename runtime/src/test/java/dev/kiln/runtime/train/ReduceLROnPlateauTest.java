package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReduceLROnPlateauTest {

    /** The learning rate after each epoch's value. */
    private static List<Double> drive(ReduceLROnPlateau callback, ScriptedModel model, double... values) {
        callback.setContext(Contexts.of(model, "loss", "val_loss"));
        callback.onTrainBegin();
        List<Double> rates = new ArrayList<>();
        for (int epoch = 0; epoch < values.length; epoch++) {
            callback.onEpochEnd(epoch, Map.of("val_loss", values[epoch]));
            rates.add(model.optimizer().learningRate());
        }
        return rates;
    }

    @Test
    void reducesByFactorAfterPatienceEpochsWithoutImprovement() {
        ScriptedModel model = ScriptedModel.single();   // learning rate 0.1
        List<Double> rates = drive(new ReduceLROnPlateau().patience(2).factor(0.5), model,
                1.0, 1.0, 1.0, 1.0, 1.0);
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025), rates);
    }

    @Test
    void defaultsAreKeras() {
        ScriptedModel model = ScriptedModel.single();
        double[] flat = new double[12];
        java.util.Arrays.fill(flat, 1.0);
        List<Double> rates = drive(new ReduceLROnPlateau(), model, flat);   // patience 10, factor 0.1
        assertEquals(0.1, rates.get(9), 1e-15);
        assertEquals(0.01, rates.get(10), 1e-15);
        // minDelta 1e-4: beating the best by 5e-5 is no improvement
        ScriptedModel other = ScriptedModel.single();
        double[] wobbling = new double[11];
        for (int i = 0; i < wobbling.length; i++) {
            wobbling[i] = i % 2 == 0 ? 1.0 : 1.0 - 5e-5;
        }
        assertEquals(0.01, drive(new ReduceLROnPlateau(), other, wobbling).get(10), 1e-15);
    }

    @Test
    void cooldownAndMinLr() {
        ScriptedModel model = ScriptedModel.single();
        List<Double> rates = drive(new ReduceLROnPlateau().patience(1).factor(0.5).cooldown(2).minLr(0.03), model,
                1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        // reduce at epoch 1; cooldown 2 counts down at epochs 2 and 3, and as in Keras epoch 3 may act again:
        // reduce to the floor 0.03; then nothing more
        assertEquals(List.of(0.1, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03), rates);
    }

    @Test
    void throughFitWithAMessage() {
        ScriptedModel model = ScriptedModel.single();
        model.trainLoss = step -> 1.0;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new Trainer(new ManualClock(1_000)).fit(model, ArraySource.ids(2), Fit.epochs(3).verbose(2)
                .printTo(new PrintStream(text, true))
                .callbacks(new ReduceLROnPlateau().monitor("loss").patience(1).factor(0.5).verbose(1)));
        assertEquals(0.025, model.optimizer().learningRate(), 1e-15);
        assertEquals(true, text.toString().contains("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05.\n"),
                text.toString());
    }

    @Test
    void factorMustBeBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReduceLROnPlateau().factor(1.0));
        assertEquals("factor must be in (0, 1) (the learning rate is multiplied by it), but is 1.0", e.getMessage());
    }
}
