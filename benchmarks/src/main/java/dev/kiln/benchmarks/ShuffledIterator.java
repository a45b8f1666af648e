package dev.kiln.benchmarks;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of in-memory features and one-hot labels for Deeplearning4j, one epoch in a shuffled order (or in
 * storage order), each batch gathered with {@code Nd4j.pullRows} into new arrays, as DL4J's own in-memory iterators
 * (MNIST's among them) allocate each batch. Async prefetch is allowed, DL4J's default for its built-in iterators.
 */
final class ShuffledIterator implements DataSetIterator {
    /** DL4J's default for its in-memory iterators; -Dkiln.bench.dl4jAsync=false turns the prefetch thread off. */
    private static final boolean ASYNC = !"false".equals(System.getProperty("kiln.bench.dl4jAsync"));

    private final INDArray features;
    private final INDArray labels;
    private final int batchSize;
    private final int[] order;
    private final int batches;
    private int next;
    private DataSetPreProcessor preProcessor;

    /** {@code steps} batches ({@code 0}: the whole epoch) in the order drawn from {@code seed}. */
    ShuffledIterator(INDArray features, INDArray labels, int batchSize, long seed, int steps) {
        this(features, labels, batchSize, permutation((int) features.size(0), new SplittableRandom(seed)), steps);
    }

    private ShuffledIterator(INDArray features, INDArray labels, int batchSize, int[] order, int steps) {
        this.features = features;
        this.labels = labels;
        this.batchSize = batchSize;
        this.order = order;
        int perEpoch = (order.length + batchSize - 1) / batchSize;
        this.batches = steps == 0 ? perEpoch : Math.min(steps, perEpoch);
    }

    /** Every sample once, in storage order. */
    static ShuffledIterator inOrder(INDArray features, INDArray labels, int batchSize) {
        int[] order = new int[(int) features.size(0)];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return new ShuffledIterator(features, labels, batchSize, order, 0);
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public boolean hasNext() {
        return next < batches;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int from = next * batchSize;
        int rows = Math.min(batchSize, order.length - from);
        int[] index = new int[rows];
        System.arraycopy(order, from, index, 0, rows);
        next++;
        DataSet batch = new DataSet(gather(features, index), Nd4j.pullRows(labels, 1, index));
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /**
     * Rows {@code index} of {@code a} into a new array; an image batch {@code (n, c, h, w)} is gathered as its
     * {@code (n, c * h * w)} rows ({@code pullRows} takes one dimension) and reshaped back, a view of the new array.
     */
    private static INDArray gather(INDArray a, int[] index) {
        if (a.rank() <= 2) {
            return Nd4j.pullRows(a, 1, index);
        }
        long[] shape = a.shape().clone();
        INDArray rows = Nd4j.pullRows(a.reshape('c', shape[0], a.length() / shape[0]), 1, index);
        shape[0] = index.length;
        return rows.reshape('c', shape);
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("batches have a fixed size");
    }

    @Override
    public int inputColumns() {
        return (int) (features.length() / features.size(0));
    }

    @Override
    public int totalOutcomes() {
        return (int) labels.size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return ASYNC;
    }

    @Override
    public void reset() {
        next = 0;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
