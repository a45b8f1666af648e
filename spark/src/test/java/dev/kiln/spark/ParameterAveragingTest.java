package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.SGD;
import dev.kiln.runtime.train.Fit;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ParameterAveragingTest {

    static final int EPOCHS = 20;
    static final int EVERY = 8;

    /**
     * The digits (80% of 1,797 images, shuffled with seed 42) on 2 partitions of 719 samples: each round, 8 local Adam
     * steps of 32 samples per partition, then the weights and Adam's moments averaged. 3 rounds an epoch.
     */
    @Test
    void averagingEvery8StepsReaches95PercentOnTheDigits() {
        TrainTest data = Digits.trainTestSplit(0.2, 42);
        Dataset<Row> train = SparkTesting.frame(List.of("pixels", "digit"),
                List.of(data.train().inputs().get(0), data.train().targets().get(0)), 2);
        DigitsNetModel model = DigitsNetModel.create(42);

        SparkRun run = KilnSpark.fit(model, train, SparkFit.parameterAveraging(Fit.epochs(EPOCHS).batchSize(32)
                .seed(42).verbose(0), EVERY, () -> new Adam(3e-3)));

        double accuracy = model.evaluate(data.test()).get("accuracy");
        int rounds = run.costs().stream().mapToInt(EpochCost::rounds).sum();
        System.out.printf("parameter averaging on the digits: test accuracy %.4f after %d rounds (%d epochs)%n",
                accuracy, rounds, EPOCHS);
        assertEquals(3 * EPOCHS, rounds);
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy + " after " + rounds + " rounds");
        assertEquals(EPOCHS * 23, model.optimizer().iterations(), "Adam's step count: 23 local steps an epoch");
        assertTrue(run.history().last("accuracy") > 0.9, run.history().toString());
    }

    @Test
    void theExecutorsOptimizerMustBeTheModels() {
        DigitsNetModel model = DigitsNetModel.create(1);
        model.compile(new SGD(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KilnSpark.fit(model,
                SparkTesting.frame(List.of("pixels", "digit"), List.of(org.nd4j.linalg.factory.Nd4j.zeros(2, 64),
                        org.nd4j.linalg.factory.Nd4j.zeros(2)), 1),
                SparkFit.parameterAveraging(Fit.epochs(1).verbose(0), 2, () -> new Adam(1e-3))));
        assertTrue(e.getMessage().startsWith("the executors' optimizer Adam(learning_rate=0.001"), e.getMessage());
    }
}
