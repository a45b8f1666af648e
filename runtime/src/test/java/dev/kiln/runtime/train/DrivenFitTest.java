package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DrivenFit gives steps computed elsewhere fit's callbacks, display, validation and History. */
class DrivenFitTest {

    @Test
    void logNamesAreFitsForSeveralOutputs() {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                ScriptedModel.output("kind", Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY),
                ScriptedModel.output("amount", Loss.MEAN_SQUARED_ERROR, Metric.MEAN_ABSOLUTE_ERROR));
        DrivenFit run = DrivenFit.start(model, Fit.epochs(1).verbose(0), 3);
        assertEquals(List.of("loss", "kind_accuracy", "amount_mean_absolute_error", "kind_loss", "amount_loss"),
                run.trainingLogNames());
    }

    @Test
    void callbacksDisplayValidationAndHistoryFollowTheDriver() {
        List<String> events = new ArrayList<>();
        ScriptedModel model = ScriptedModel.single();
        model.valLoss = steps -> 0.25;
        Callback recorder = new Callback() {
            @Override
            public void onTrainBegin() {
                events.add("train begin");
            }

            @Override
            public void onEpochBegin(int epoch) {
                events.add("epoch " + epoch);
            }

            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                events.add("batch " + batch + " loss " + logs.get("loss"));
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                events.add("epoch end " + epoch + " " + logs);
            }

            @Override
            public void onTrainEnd(Map<String, Double> logs) {
                events.add("train end");
            }
        };
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Fit options = Fit.epochs(2).batchSize(2).verbose(2).callbacks(recorder)
                .validationData(ArraySource.ids(4)).printTo(new PrintStream(printed, true, StandardCharsets.UTF_8));

        DrivenFit run = DrivenFit.start(model, options, 2);
        for (int epoch = 0; epoch < 2; epoch++) {
            run.epochBegin(epoch);
            for (int step = 0; step < 2; step++) {
                run.batchBegin(step);
                run.batchEnd(step, Map.of("loss", 1.0 / (epoch + 1)));
            }
            run.epochEnd(epoch, 2, Map.of("loss", 1.0 / (epoch + 1)), 8, 0.5);
        }
        History history = run.finish();

        assertEquals(List.of("train begin", "epoch 0", "batch 0 loss 1.0", "batch 1 loss 1.0",
                "epoch end 0 {loss=1.0, val_loss=0.25}", "epoch 1", "batch 0 loss 0.5", "batch 1 loss 0.5",
                "epoch end 1 {loss=0.5, val_loss=0.25}", "train end"), events);
        assertEquals(List.of(1.0, 0.5), history.get("loss"));
        assertEquals(List.of(0.25, 0.25), history.get("val_loss"));
        assertEquals(16.0, history.samplesPerSecond().get(0), 1e-9, "8 samples in 0.5 s of steps");
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("Epoch 1/2 - "), out);
        assertTrue(out.contains("loss: 0.5000 - val_loss: 0.2500"), out);
    }
}
