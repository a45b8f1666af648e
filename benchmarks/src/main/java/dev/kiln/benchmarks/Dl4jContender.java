package dev.kiln.benchmarks;

import dev.kiln.runtime.data.TrainTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Deeplearning4j {@code ComputationGraph} as a user trains it: {@code fit(DataSetIterator)} on a
 * {@link ShuffledIterator} (DL4J's default async prefetch included), {@code evaluate} for the accuracy,
 * {@code outputSingle} for inference. Labels are one-hot, as DL4J's MCXENT takes them.
 */
final class Dl4jContender implements Contender {
    private final ComputationGraph graph;
    private final INDArray trainX;
    private final INDArray trainY;
    private final INDArray testX;
    private final INDArray testY;
    private final int batchSize;
    private final long seed;
    private final INDArray[] testBatches;
    private final INDArray[] singles;
    private int epoch;

    Dl4jContender(ComputationGraph graph, TrainTest data, int batchSize, int classes, long seed) {
        this(graph, data.train().inputs().get(0), BenchArrays.oneHot(data.train().targets().get(0), classes),
                data.test().inputs().get(0), BenchArrays.oneHot(data.test().targets().get(0), classes), batchSize,
                seed);
    }

    /** Inputs and labels as the graph takes them (e.g. one binary column for a sigmoid output). */
    Dl4jContender(ComputationGraph graph, INDArray trainX, INDArray trainY, INDArray testX, INDArray testY,
            int batchSize, long seed) {
        this.graph = graph;
        this.trainX = trainX;
        this.trainY = trainY;
        this.testX = testX;
        this.testY = testY;
        this.batchSize = batchSize;
        this.seed = seed;
        this.testBatches = new INDArray[(int) (testX.size(0) / batchSize)];
        for (int i = 0; i < testBatches.length; i++) {
            testBatches[i] = BenchArrays.rows(testX, (long) i * batchSize, batchSize);
        }
        this.singles = new INDArray[BenchArrays.SINGLES];
        for (int i = 0; i < singles.length; i++) {
            singles[i] = BenchArrays.rows(testX, i, 1);
        }
    }

    @Override
    public void trainEpoch() {
        graph.fit(new ShuffledIterator(trainX, trainY, batchSize, seed + epoch++, 0));
    }

    @Override
    public void train(int steps) {
        graph.fit(new ShuffledIterator(trainX, trainY, batchSize, seed + epoch++, steps));
    }

    @Override
    public double testAccuracy() {
        return graph.evaluate(ShuffledIterator.inOrder(testX, testY, batchSize)).accuracy();
    }

    @Override
    public int testBatches() {
        return testBatches.length;
    }

    @Override
    public void predictBatch(int i) {
        graph.outputSingle(testBatches[i]);
    }

    @Override
    public void predictOne(int i) {
        graph.outputSingle(singles[i % singles.length]);
    }

    /** As {@link KilnContender#phases}: {@code outputSingle}, {@code computeGradientAndScore}, {@code fit(DataSet)}. */
    @Override
    public Map<String, Runnable> phases() {
        INDArray x = BenchArrays.rows(trainX, 0, batchSize);
        INDArray y = BenchArrays.rows(trainY, 0, batchSize);
        DataSet batch = new DataSet(x, y);
        Map<String, Runnable> phases = new LinkedHashMap<>();
        phases.put("forward", () -> graph.outputSingle(x));
        phases.put("fwd+loss+bwd", () -> {
            graph.setInput(0, x);
            graph.setLabel(0, y);
            graph.computeGradientAndScore();
        });
        phases.put("trainStep", () -> graph.fit(batch));
        return phases;
    }
}
