package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Epochs, batches, shuffling, validation and the callback protocol, on a scripted model. */
class TrainerLoopTest {

    private final Trainer trainer = new Trainer(new ManualClock(1_000_000));

    private static Fit quiet(int epochs) {
        return Fit.epochs(epochs).verbose(0);
    }

    private static List<Float> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> (float) i).collect(Collectors.toList());
    }

    @Test
    void everyEpochVisitsEveryBatchTheLastOneSmaller() {
        ScriptedModel model = ScriptedModel.single();
        History history = trainer.fit(model, ArraySource.ids(10), quiet(3).batchSize(4).shuffle(false));
        assertEquals(List.of(4, 4, 2, 4, 4, 2, 4, 4, 2), model.batchSizes);
        assertEquals(List.of(0, 1, 2), history.epochs());
        List<Float> expected = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            expected.addAll(range(0, 10));
        }
        assertEquals(expected, model.trainIds);
    }

    @Test
    void shufflingIsDeterministicFromTheSeedAndDiffersPerEpoch() {
        ScriptedModel a = ScriptedModel.single();
        ScriptedModel b = ScriptedModel.single();
        ScriptedModel c = ScriptedModel.single();
        trainer.fit(a, ArraySource.ids(20), quiet(2).batchSize(8).seed(7));
        trainer.fit(b, ArraySource.ids(20), quiet(2).batchSize(8).seed(7));
        trainer.fit(c, ArraySource.ids(20), quiet(2).batchSize(8).seed(8));
        assertEquals(a.trainIds, b.trainIds);
        assertNotEquals(a.trainIds, c.trainIds);
        List<Float> first = a.trainIds.subList(0, 20);
        List<Float> second = a.trainIds.subList(20, 40);
        assertNotEquals(first, second);
        assertNotEquals(range(0, 20), first);
        assertEquals(range(0, 20), first.stream().sorted().collect(Collectors.toList()));   // each sample once
    }

    @Test
    void validationSplitKeepsTheLastSamplesForValidation() {
        ScriptedModel model = ScriptedModel.single();
        History history = trainer.fit(model, ArraySource.ids(10), quiet(1).batchSize(3).validationSplit(0.2));
        assertEquals(range(0, 8), model.trainIds.stream().sorted().collect(Collectors.toList()));
        assertEquals(range(8, 10), model.testIds);
        assertEquals(List.of("loss", "val_loss"), List.copyOf(history.keys()));
    }

    @Test
    void validationDataWinsOverValidationSplit() {
        ScriptedModel model = ScriptedModel.single();
        trainer.fit(model, ArraySource.ids(6), quiet(1).validationSplit(0.5).validationData(ArraySource.ids(2)));
        assertEquals(6, model.trainIds.size());
        assertEquals(range(0, 2), model.testIds);
    }

    @Test
    void lossIsTheMeanOverSamplesNotOverBatches() {
        ScriptedModel model = ScriptedModel.single();
        model.trainLoss = step -> step % 2 == 0 ? 1.0 : 4.0;   // batch of 4 at 1.0, batch of 2 at 4.0
        History history = trainer.fit(model, ArraySource.ids(6), quiet(1).batchSize(4));
        assertEquals((4 * 1.0 + 2 * 4.0) / 6, history.last("loss"), 1e-12);
    }

    @Test
    void stepsPerEpochAndInitialEpoch() {
        ScriptedModel model = ScriptedModel.single();
        History history = trainer.fit(model, ArraySource.ids(10), quiet(4).batchSize(2).stepsPerEpoch(3)
                .initialEpoch(2));
        assertEquals(List.of(2, 3), history.epochs());
        assertEquals(6, model.steps);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(model, ArraySource.ids(10), quiet(1).batchSize(2).stepsPerEpoch(6)));
        assertEquals("stepsPerEpoch is 6, but the training data has only 5 batches of 2; lower stepsPerEpoch or"
                + " leave it unset", e.getMessage());
    }

    @Test
    void callbacksSeeKerasOrder() {
        List<String> events = new ArrayList<>();
        ScriptedModel model = new ScriptedModel(events, ScriptedModel.output("out", dev.kiln.dsl.Loss.MEAN_SQUARED_ERROR));
        LambdaCallback recorder = new LambdaCallback()
                .atTrainBegin(() -> events.add("train begin"))
                .atEpochBegin(e -> events.add("epoch begin " + e))
                .atBatchBegin(b -> events.add("batch begin " + b))
                .atBatchEnd((b, logs) -> events.add("batch end " + b + " " + logs.keySet()))
                .atEpochEnd((e, logs) -> events.add("epoch end " + e + " " + logs.keySet()))
                .atTrainEnd(logs -> events.add("train end " + logs.keySet()));
        trainer.fit(model, ArraySource.ids(3), quiet(1).batchSize(2).validationSplit(0.34).callbacks(recorder));
        assertEquals(List.of("train begin", "epoch begin 0",
                "batch begin 0", "step 0", "batch end 0 [loss]",
                "epoch end 0 [loss, val_loss]", "train end [loss, val_loss]"), events);
    }

    @Test
    void aCallbackStopsTrainingAfterTheCurrentBatchAndTheEpochStillEnds() {
        ScriptedModel model = ScriptedModel.single();
        List<Integer> ended = new ArrayList<>();
        Callback stopper = new Callback() {
            TrainingContext context;

            @Override
            public void setContext(TrainingContext context) {
                this.context = context;
            }

            @Override
            public void onBatchEnd(int batch, java.util.Map<String, Double> logs) {
                if (batch == 1) {
                    context.stopTraining();
                }
            }

            @Override
            public void onEpochEnd(int epoch, java.util.Map<String, Double> logs) {
                ended.add(epoch);
            }
        };
        History history = trainer.fit(model, ArraySource.ids(10), quiet(5).batchSize(2).callbacks(stopper));
        assertEquals(2, model.steps);
        assertEquals(List.of(0), ended);
        assertEquals(List.of(0), history.epochs());
    }

    @Test
    void theModelMustBeCompiled() {
        LinearModel model = new LinearModel(1, 1, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer.fit(model, ArraySource.ids(4), quiet(1)));
        assertTrue(e.getMessage().startsWith("the model is not compiled: call compile(optimizer) before fit"));
    }

    @Test
    void aValidationSplitThatLeavesNothingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(ScriptedModel.single(), ArraySource.ids(5), quiet(1).validationSplit(1e-17)));
        assertEquals("validationSplit 1.0E-17 of 5 samples leaves no validation sample; use a larger fraction",
                e.getMessage());
    }
}
