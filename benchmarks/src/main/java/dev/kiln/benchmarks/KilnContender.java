package dev.kiln.benchmarks;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.train.Fit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Kiln model as a user trains it: {@code fit} on a {@link Dataset} (Kiln's Batches copy each shuffled batch into
 * reused buffers; the loss and the model's metrics are computed every step, as in Keras), {@code evaluate} for the
 * accuracy, {@code predictBatch} for inference.
 */
final class KilnContender implements Contender {
    private final KilnModel model;
    private final Dataset train;
    private final Dataset test;
    private final int batchSize;
    private final long seed;
    private final INDArray[][] testBatches;
    private final INDArray[][] singles;
    private int epoch;
    /** Set by {@link #asCustomLoop}: the user's own loop over {@code Batches} and {@code trainStep}. */
    private Batches loop;

    KilnContender(KilnModel model, TrainTest data, int batchSize, long seed) {
        this.model = model;
        this.train = data.train();
        this.test = data.test();
        this.batchSize = batchSize;
        this.seed = seed;
        INDArray x = test.inputs().get(0);
        this.testBatches = new INDArray[(int) (x.size(0) / batchSize)][];
        for (int i = 0; i < testBatches.length; i++) {
            testBatches[i] = new INDArray[] {BenchArrays.rows(x, (long) i * batchSize, batchSize)};
        }
        this.singles = new INDArray[BenchArrays.SINGLES][];
        for (int i = 0; i < singles.length; i++) {
            singles[i] = new INDArray[] {BenchArrays.rows(x, i, 1)};
        }
    }

    /**
     * This contender training through the idiomatic custom loop instead of {@code fit}: batches that own reused
     * memory, one {@code trainStep} each, the step's loss read as a loop that logs it would.
     */
    KilnContender asCustomLoop() {
        loop = train.aligned(model.inputNames(), model.outputs().stream().map(o -> o.name()).toList())
                .batches(batchSize, true, seed);
        return this;
    }

    @Override
    public void trainEpoch() {
        if (loop != null) {
            customLoop(Integer.MAX_VALUE);
            return;
        }
        model.fit(train, options());
    }

    @Override
    public void train(int steps) {
        if (loop != null) {
            customLoop(steps);
            return;
        }
        model.fit(train, options().stepsPerEpoch(steps));
    }

    private void customLoop(int steps) {
        loop.startEpoch(epoch++);
        double sum = 0;
        for (int step = 0; step < steps && loop.next(); step++) {
            sum += model.trainStep(loop.inputs(), loop.targets()).loss();
        }
        if (Double.isNaN(sum)) {
            throw new ArithmeticException("the loss is not finite");
        }
    }

    /** Each call one new epoch, so that each draws a new shuffle from (seed, epoch). */
    private Fit options() {
        epoch++;
        return Fit.epochs(epoch).initialEpoch(epoch - 1).batchSize(batchSize).seed(seed).verbose(0);
    }

    @Override
    public double testAccuracy() {
        return model.evaluate(test, batchSize).get("accuracy");
    }

    @Override
    public int testBatches() {
        return testBatches.length;
    }

    @Override
    public void predictBatch(int i) {
        model.predictBatch(testBatches[i]);
    }

    @Override
    public void predictOne(int i) {
        model.predictBatch(singles[i % singles.length]);
    }

    /** {@code predictBatch}, {@code computeGradients} and {@code trainStep} on the first training batch. */
    @Override
    public Map<String, Runnable> phases() {
        INDArray[] x = {BenchArrays.rows(train.inputs().get(0), 0, batchSize)};
        INDArray[] y = {BenchArrays.rows(train.targets().get(0), 0, batchSize)};
        Map<String, Runnable> phases = new LinkedHashMap<>();
        phases.put("forward", () -> model.predictBatch(x));
        phases.put("fwd+loss+bwd", () -> model.computeGradients(x, y, true));
        phases.put("trainStep", () -> model.trainStep(x, y));
        return phases;
    }
}
