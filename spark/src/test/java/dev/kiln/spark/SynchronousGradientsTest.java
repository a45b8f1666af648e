package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.SGD;
import dev.kiln.runtime.train.Fit;
import dev.kiln.runtime.train.History;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synchronous gradients on two partitions are single-machine training on the same global batches: 160 samples, two
 * partitions of 80, global batches of 16 (8 from each partition), 2 epochs = 20 steps, in float64.
 */
class SynchronousGradientsTest {

    private static final int ROWS = 160;
    private static final int SHARE = 8;
    private static final long SEED = 11;

    private static final SparkTesting.TwoHeadsData DATA = SparkTesting.TwoHeadsData.random(5, ROWS, 7);
    private static final INDArray A = DATA.a();
    private static final INDArray B = DATA.b();
    private static final INDArray KIND = DATA.kind();
    private static final INDArray AMOUNT = DATA.amount();

    @AfterEach
    void noHook() {
        Worker.failureHook = null;
    }

    private static Dataset<Row> data() {
        return DATA.frame(2, java.util.Set.of());
    }

    /** The same 20 steps on one machine: step s of epoch e takes each partition's next 8 samples in its order. */
    private static TwoHeadsModel singleMachine(Optimizer optimizer, boolean shuffle, double[] epochLosses) {
        TwoHeadsModel model = TwoHeadsModel.create(SEED, DataType.DOUBLE);
        model.compile(optimizer);
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] first = Worker.order(ROWS / 2, shuffle, SEED, epoch, 0);
            int[] second = Worker.order(ROWS / 2, shuffle, SEED, epoch, 1);
            double sum = 0;
            for (int step = 0; step < ROWS / (2 * SHARE); step++) {
                int[] rows = new int[2 * SHARE];
                for (int i = 0; i < SHARE; i++) {
                    rows[i] = first[step * SHARE + i];
                    rows[SHARE + i] = ROWS / 2 + second[step * SHARE + i];
                }
                sum += model.trainOnBatch(Map.of("a", A.getRows(rows), "b", B.getRows(rows)),
                        Map.of("kind", ids(rows), "amount", AMOUNT.getRows(rows)));
            }
            epochLosses[epoch] = sum / (ROWS / (2 * SHARE));
        }
        return model;
    }

    private static INDArray ids(int[] rows) {
        double[] ids = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ids[i] = KIND.getDouble(rows[i]);
        }
        return Nd4j.createFromArray(ids);
    }

    private static SparkRun onSpark(TwoHeadsModel model, Optimizer optimizer, boolean shuffle) {
        model.compile(optimizer);
        return KilnSpark.fit(model, data(), SparkFit.synchronousGradients(Fit.epochs(2).batchSize(2 * SHARE)
                .shuffle(shuffle).seed(SEED).verbose(0)));
    }

    private static void assertSameTraining(Supplier<Optimizer> optimizer, boolean shuffle) {
        double[] losses = new double[2];
        TwoHeadsModel expected = singleMachine(optimizer.get(), shuffle, losses);
        TwoHeadsModel model = TwoHeadsModel.create(SEED, DataType.DOUBLE);
        INDArray initial = model.parameterBuffer().dup();
        History history = onSpark(model, optimizer.get(), shuffle).history();

        double difference = Math.abs(model.parameterBuffer().sub(expected.parameterBuffer()).maxNumber().doubleValue());
        difference = Math.max(difference, Math.abs(model.parameterBuffer().sub(expected.parameterBuffer()).minNumber()
                .doubleValue()));
        assertTrue(difference < 1e-10, "float64 weights after 20 steps differ by " + difference);
        assertTrue(model.parameterBuffer().sub(initial).norm2Number().doubleValue() > 1e-2, "training moved nothing");
        assertEquals(20, model.optimizer().iterations());
        assertEquals(List.of(losses[0], losses[1]).size(), history.get("loss").size());
        for (int e = 0; e < 2; e++) {
            assertEquals(losses[e], history.get("loss").get(e), 1e-12, "epoch " + (e + 1) + "'s mean loss");
        }
    }

    @Test
    void sgdWithMomentumEqualsOneMachine() {
        assertSameTraining(() -> new SGD(0.1).momentum(0.9), false);
    }

    @Test
    void adamEqualsOneMachine() {
        assertSameTraining(() -> new Adam(0.01), true);
    }

    @Test
    void aTaskThatFailsAndIsRetriedGivesTheSameBits() {
        TwoHeadsModel clean = TwoHeadsModel.create(SEED, DataType.DOUBLE);
        onSpark(clean, new Adam(0.01), true);

        AtomicInteger failures = new AtomicInteger();
        Worker.failureHook = (round, partition) -> {
            if (round == 13 && partition == 1 && TaskContext.get().attemptNumber() == 0) {
                failures.incrementAndGet();
                throw new IllegalStateException("injected failure in round 13, partition 1");
            }
        };
        TwoHeadsModel retried = TwoHeadsModel.create(SEED, DataType.DOUBLE);
        onSpark(retried, new Adam(0.01), true);

        assertEquals(1, failures.get(), "the injected failure happened once");
        assertArrayEquals(clean.parameterBuffer().toDoubleVector(), retried.parameterBuffer().toDoubleVector());
    }

    @Test
    void historyAndCostLinesAreAsInFit() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TwoHeadsModel model = TwoHeadsModel.create(SEED, DataType.DOUBLE);
        model.compile(new SGD(0.05));
        SparkRun run = KilnSpark.fit(model, data(), SparkFit.synchronousGradients(Fit.epochs(1).batchSize(16)
                .verbose(2).printTo(new PrintStream(printed, true, StandardCharsets.UTF_8))));

        assertEquals(List.of("loss", "kind_accuracy", "amount_mean_absolute_error", "kind_loss", "amount_loss"),
                List.copyOf(run.history().keys()));
        EpochCost cost = run.costs().get(0);
        assertEquals(10, cost.rounds());
        assertEquals(2, cost.partitions());
        long weights = model.countParams() * 8;
        assertEquals(10 * weights, cost.bytesBroadcast(), "the weights, once a round");
        assertTrue(cost.bytesAggregated() >= 10 * 2 * weights, "each partition's gradient, once a round");
        String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].startsWith("Epoch 1/1 - "), lines[0]);
        assertTrue(lines[1].startsWith("spark: epoch 1: 10 rounds on 2 partitions, broadcast "), lines[1]);
    }

    /** Callbacks see the rounds as batches and can stop training, as in fit; the driver's model is theirs. */
    @Test
    void callbacksRunOnTheDriverAndCanStopTraining() {
        List<String> seen = new java.util.ArrayList<>();
        dev.kiln.runtime.train.Callback stopAfterFourRounds = new dev.kiln.runtime.train.Callback() {
            private dev.kiln.runtime.train.TrainingContext context;

            @Override
            public void setContext(dev.kiln.runtime.train.TrainingContext context) {
                this.context = context;
            }

            @Override
            public void onEpochBegin(int epoch) {
                seen.add("epoch " + epoch + " of " + context.epochs() + ", " + context.stepsPerEpoch() + " steps");
            }

            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                if (batch == 3) {
                    seen.add("stop at batch 3, loss " + (logs.get("loss") > 0));
                    context.stopTraining();
                }
            }
        };
        TwoHeadsModel model = TwoHeadsModel.create(SEED, DataType.DOUBLE);
        model.compile(new SGD(0.05));
        SparkRun run = KilnSpark.fit(model, data(), SparkFit.synchronousGradients(Fit.epochs(3).batchSize(16)
                .verbose(0).callbacks(stopAfterFourRounds)));

        assertEquals(List.of("epoch 0 of 3, 10 steps", "stop at batch 3, loss true"), seen);
        assertEquals(1, run.history().epochs().size());
        assertEquals(4, run.costs().get(0).rounds());
        assertEquals(4, model.optimizer().iterations());
    }

    /**
     * The optimizer steps the trainable weights only; the moving statistics that the partitions' training-mode passes
     * update come back averaged by samples. (Each partition normalises with its own share's batch statistics, as
     * data-parallel Keras does without SyncBatchNormalization.)
     */
    @Test
    void movingStatisticsAreAveragedAndNotStepped() {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 32, 4).addi(3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 32, 1);
        NormalizedModel model = NormalizedModel.create(3, DataType.DOUBLE);
        model.compile(new Adam(0.01));
        KilnSpark.fit(model, SparkTesting.frame(List.of("a", "y"), List.of(x, y), 2),
                SparkFit.synchronousGradients(Fit.epochs(1).batchSize(32).shuffle(false).verbose(0)));

        // One step on the whole batch: each partition's moving mean is 0.5 * 0 + 0.5 * its batch mean of 'hidden'.
        NormalizedModel start = NormalizedModel.create(3, DataType.DOUBLE);
        INDArray kernel = start.getWeights().get("hidden/kernel");
        INDArray bias = start.getWeights().get("hidden/bias");
        INDArray hidden = x.mmul(kernel).addRowVector(bias);
        INDArray expected = hidden.mean(0).mul(0.5);
        INDArray moving = model.getWeights().get("normal/moving_mean");
        assertTrue(moving.sub(expected).amaxNumber().doubleValue() < 1e-12, moving + " vs " + expected);
        assertEquals(1, model.optimizer().iterations());
    }
}
