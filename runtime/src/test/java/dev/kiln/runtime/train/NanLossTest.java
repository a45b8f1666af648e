package dev.kiln.runtime.train;

import static dev.kiln.runtime.train.ScriptedModel.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Loss;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NanLossTest {

    private final Trainer trainer = new Trainer(new ManualClock(1_000_000));

    @Test
    void aNanLossThrowsNamingEpochBatchAndOutput() {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                output("main_output", Loss.CATEGORICAL_CROSSENTROPY), output("aux_output", Loss.NONE));
        model.trainLoss = step -> step == 2 * 5 + 3 ? Double.NaN : 1.0;   // epoch 3, batch 4 (from 1)
        INDArray x = Nd4j.create(new float[] {0, 1, 2, 3, 4}, 5, 1);
        ArraySource data = new ArraySource(new INDArray[] {x}, new INDArray[] {x, x}, false);
        KilnTrainingException e = assertThrows(KilnTrainingException.class,
                () -> trainer.fit(model, data, Fit.epochs(5).batchSize(1).verbose(0)));
        assertEquals("loss became NaN at epoch 3, batch 4 (output 'main_output' loss = NaN); lower the learning rate"
                + " or check the data for NaN (the callback TerminateOnNaN stops training instead of throwing)",
                e.getMessage());
        assertEquals(2, e.epoch());
        assertEquals(3, e.batch());
        assertTrue(e instanceof ArithmeticException);
    }

    @Test
    void anInfiniteLossSaysSo() {
        ScriptedModel model = ScriptedModel.single();
        model.trainLoss = step -> Double.POSITIVE_INFINITY;
        KilnTrainingException e = assertThrows(KilnTrainingException.class,
                () -> trainer.fit(model, ArraySource.ids(4), Fit.epochs(1).verbose(0)));
        assertTrue(e.getMessage().startsWith("loss became Infinity at epoch 1, batch 1 (output 'out' loss = Infinity)"),
                e.getMessage());
    }

    @Test
    void terminateOnNanStopsWithoutThrowingAndTheEpochEnds() {
        ScriptedModel model = ScriptedModel.single();
        model.trainLoss = step -> step == 6 ? Double.NaN : 1.0;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        History history = trainer.fit(model, ArraySource.ids(8), Fit.epochs(10).batchSize(2).verbose(2)
                .printTo(new PrintStream(text, true)).callbacks(new TerminateOnNaN()));
        assertEquals(7, model.steps);   // the NaN step was the last
        assertEquals(java.util.List.of(0, 1), history.epochs());
        assertTrue(Double.isNaN(history.last("loss")));
        assertTrue(text.toString().contains("Batch 2: Invalid loss, terminating training"), text.toString());
    }
}
