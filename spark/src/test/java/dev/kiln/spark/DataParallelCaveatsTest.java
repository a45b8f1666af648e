package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What data-parallel training does with the layers whose training is not a plain function of the weights and the
 * batch: batch statistics (each partition's own, the moving statistics averaged), seeded dropout (new masks each round
 * and partition), variables frozen on the driver (frozen on the executors too), and open axes (refused).
 */
class DataParallelCaveatsTest {

    private static final long SEED = 13;

    /**
     * Synchronous gradients on a model with BatchNormalization and a seeded Dropout, on 2 partitions of 16 with global
     * batches of 8, are exactly this: each partition's share of 4 samples through a training-mode pass from the round's
     * weights, normalised by the share's own statistics (as Keras's MirroredStrategy without SyncBatchNormalization),
     * with masks drawn from (seed, round, partition); the gradients and the moving statistics' changes averaged by
     * samples; the driver's optimizer applied. Not single-machine training on the global batch: its statistics differ.
     */
    @Test
    void batchStatisticsArePerPartitionAndTheMovingOnesAveraged() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 32, 4).muli(3).addi(1);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 32, 1);
        RegularizedModel model = RegularizedModel.create(3, DataType.DOUBLE);
        model.compile(new Adam(0.01));
        KilnSpark.fit(model, SparkTesting.frame(List.of("a", "y"), List.of(x, y), 2),
                SparkFit.synchronousGradients(Fit.epochs(1).batchSize(8).shuffle(false).seed(SEED).verbose(0)));

        RegularizedModel expected = RegularizedModel.create(3, DataType.DOUBLE);
        expected.compile(new Adam(0.01));
        long all = expected.parameterBuffer().length();
        long trainable = DriverStep.trainableLength(expected);
        for (int round = 0; round < 4; round++) {
            INDArray start = expected.parameterBuffer().dup();
            INDArray gradients = Nd4j.zeros(DataType.DOUBLE, trainable);
            INDArray moved = Nd4j.zeros(DataType.DOUBLE, all - trainable);
            for (int p = 0; p < 2; p++) {
                expected.parameterBuffer().assign(start);
                expected.reseedAll(Worker.mix(SEED, round, p));
                INDArray rows = Nd4j.arange(16 * p + 4 * round, 16 * p + 4 * round + 4);
                INDArray[] share = {x.get(NDArrayIndex.indices(rows.toLongVector()), NDArrayIndex.all())};
                INDArray[] target = {y.get(NDArrayIndex.indices(rows.toLongVector()), NDArrayIndex.all())};
                expected.computeGradients(share, target, true);
                gradients.addi(expected.gradientBuffer().get(NDArrayIndex.interval(0, trainable)).mul(4));
                moved.addi(expected.parameterBuffer().get(NDArrayIndex.interval(trainable, all))
                        .sub(start.get(NDArrayIndex.interval(trainable, all))).mul(4));
            }
            expected.parameterBuffer().assign(start);
            expected.parameterBuffer().get(NDArrayIndex.interval(trainable, all)).addi(moved.div(8));
            expected.applyGradients(gradients.div(8));
        }

        double difference = model.parameterBuffer().sub(expected.parameterBuffer()).amaxNumber().doubleValue();
        assertTrue(difference < 1e-10, "weights and moving statistics differ by " + difference);
        assertTrue(model.getWeights().get("normal/moving_mean").amaxNumber().doubleValue() > 0.1,
                "the moving mean moved");
    }

    /** A dropout with its own seed draws new masks after reseedAll (each round and partition), the same for a repeat. */
    @Test
    void aSeededDropoutDrawsNewMasksForEachRoundAndPartition() {
        RegularizedModel model = RegularizedModel.create(3, DataType.DOUBLE);
        INDArray[] x = {Nd4j.rand(DataType.DOUBLE, 6, 4)};
        INDArray[] y = {Nd4j.rand(DataType.DOUBLE, 6, 1)};
        model.reseedAll(Worker.mix(SEED, 0, 0));
        double first = model.computeGradients(x, y, true).loss();
        model.reseedAll(Worker.mix(SEED, 1, 0));
        double nextRound = model.computeGradients(x, y, true).loss();
        model.reseedAll(Worker.mix(SEED, 0, 1));
        double otherPartition = model.computeGradients(x, y, true).loss();
        model.reseedAll(Worker.mix(SEED, 0, 0));
        double retried = model.computeGradients(x, y, true).loss();
        model.reseed(1);
        double plain = model.computeGradients(x, y, true).loss();
        model.reseed(2);
        double plainAgain = model.computeGradients(x, y, true).loss();

        assertNotEquals(first, nextRound);
        assertNotEquals(first, otherPartition);
        assertEquals(first, retried, 0.0, "a retried task draws the same masks");
        assertEquals(plain, plainAgain, 0.0, "reseed restarts a seeded layer's own sequence: the same masks");
    }

    /** Variables frozen on the driver keep their values in both modes; the others train. */
    @Test
    void aNodeFrozenOnTheDriverStaysFrozenOnTheExecutors() {
        Nd4j.getRandom().setSeed(8);
        INDArray a = Nd4j.rand(DataType.FLOAT, 64, 4);
        INDArray b = Nd4j.rand(DataType.FLOAT, 64, 3);
        INDArray kind = Nd4j.createFromArray(java.util.stream.IntStream.range(0, 64).mapToDouble(i -> i % 3)
                .toArray());
        INDArray amount = Nd4j.rand(DataType.FLOAT, 64, 2);
        for (boolean sync : new boolean[] {true, false}) {
            TwoHeadsModel model = TwoHeadsModel.create(2);
            model.compile(new Adam(0.05));
            model.setTrainable("hidden", false);
            Map<String, INDArray> before = model.getWeights();
            Fit fit = Fit.epochs(2).batchSize(8).seed(SEED).verbose(0);
            KilnSpark.fit(model, SparkTesting.frame(List.of("a", "b", "kind", "amount"), List.of(a, b, kind, amount),
                    2), sync ? SparkFit.synchronousGradients(fit)
                    : SparkFit.parameterAveraging(fit, 2, () -> new Adam(0.05)));

            Map<String, INDArray> after = model.getWeights();
            String mode = sync ? "synchronous gradients" : "parameter averaging";
            assertEquals(Set.of("hidden/kernel", "hidden/bias"), model.frozenVariables());
            assertArrayEquals(before.get("hidden/kernel").ravel().toFloatVector(),
                    after.get("hidden/kernel").ravel().toFloatVector(), mode);
            assertArrayEquals(before.get("hidden/bias").toFloatVector(), after.get("hidden/bias").toFloatVector(), mode);
            assertTrue(after.get("kind/kernel").sub(before.get("kind/kernel")).amaxNumber().doubleValue() > 1e-3,
                    mode + ": the rest trains");
        }
    }

    @Test
    void anOpenAxisIsRefusedNamingTheInput() {
        String expected = "the input 'steps' has an open axis (shape (None, 3)): a Spark column holds one fixed length"
                + " per sample, so Kiln on Spark takes models with fixed shapes only; declare the axis's length (e.g. the"
                + " longest sequence, padded) to train or score such a model on Spark";
        SequencesModel model = SequencesModel.create(1);
        model.compile(new Adam(0.01));
        Nd4j.getRandom().setSeed(1);
        INDArray steps = Nd4j.rand(DataType.FLOAT, 4, 15);
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> KilnSpark.predict(model,
                SparkTesting.frame(List.of("steps"), List.of(steps), 1))).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> KilnSpark.fit(model,
                SparkTesting.context().parallelize(List.of(Sample.of("steps", new float[15]).with("y", 1.0))),
                SparkFit.synchronousGradients(Fit.epochs(1).verbose(0)))).getMessage());
    }
}
