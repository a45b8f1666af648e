package dev.kiln.runtime.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Mini-batches of an {@link Dataset.Aligned} data set, for the training loop, made without allocating once built.
 *
 * <p>Every array gets one buffer of {@code batchSize} samples (its own dtype and sample shape), allocated when the
 * {@code Batches} is made; each {@link #next()} copies the batch's samples into those buffers. The last batch of an
 * epoch, when smaller, is a view of the buffers' first rows, made once too. So {@link #inputs()} returns the same
 * arrays batch after batch and epoch after epoch:
 *
 * <pre>{@code
 * Batches batches = data.aligned(model.inputNames(), outputNames).batches(32, true, seed);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.startEpoch(epoch);
 *     while (batches.next()) {
 *         model.trainStep(batches.inputs(), batches.targets());
 *     }
 * }
 * }</pre>
 *
 * <p>With {@code shuffle}, an epoch visits the samples in a permutation drawn from {@code (seed, epoch)} alone: the
 * same seed and epoch give the same order, every sample appears exactly once per epoch. Without it, samples come in
 * order. A {@code Batches} is not thread-safe.
 */
public final class Batches {
    private final int size;
    private final int batchSize;
    private final int count;
    private final boolean shuffle;
    private final long seed;
    private final int[] order;
    private final RowCopier[] inputCopiers;
    private final RowCopier[] targetCopiers;
    private final INDArray[] fullInputs;
    private final INDArray[] fullTargets;
    private final INDArray[] lastInputs;
    private final INDArray[] lastTargets;
    private int index;

    Batches(INDArray[] inputs, INDArray[] targets, int size, int batchSize, boolean shuffle, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.size = size;
        this.batchSize = Math.min(batchSize, size);
        this.count = (size + this.batchSize - 1) / this.batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = new int[size];
        this.inputCopiers = copiers(inputs, this.batchSize);
        this.targetCopiers = copiers(targets, this.batchSize);
        this.fullInputs = destinations(inputCopiers);
        this.fullTargets = destinations(targetCopiers);
        int lastRows = size - (count - 1) * this.batchSize;
        this.lastInputs = firstRows(fullInputs, lastRows);
        this.lastTargets = firstRows(fullTargets, lastRows);
        startEpoch(0);
    }

    /** Batches per epoch: {@code ceil(samples / batchSize)}. */
    public int count() {
        return count;
    }

    /** Samples in a full batch (the requested size, or the data set's size when that is smaller). */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Starts an epoch: the next {@link #next()} gives its first batch. With shuffling, draws the epoch's order from
     * {@code (seed, epoch)}. Epoch 0 is started when the {@code Batches} is made.
     */
    public void startEpoch(int epoch) {
        if (shuffle) {
            Shuffle.permute(order, Shuffle.epochSeed(seed, epoch));
        }
        index = -1;
    }

    /** Copies the next batch into the buffers; false, copying nothing, when the epoch has no batch left. */
    public boolean next() {
        if (index + 1 >= count) {
            index = count;
            return false;
        }
        index++;
        int start = index * batchSize;
        int rows = Math.min(batchSize, size - start);
        copy(inputCopiers, start, rows);
        copy(targetCopiers, start, rows);
        return true;
    }

    /** The current batch's position in the epoch, from 0. */
    public int index() {
        requireBatch();
        return index;
    }

    /** Samples in the current batch: {@link #batchSize()}, or fewer for the last one. */
    public int size() {
        requireBatch();
        return Math.min(batchSize, size - index * batchSize);
    }

    /**
     * The current batch's inputs, in the model's input order. The arrays are this object's buffers (the last batch's
     * are views of them), overwritten by the next {@link #next()}; do not modify the returned array.
     */
    public INDArray[] inputs() {
        requireBatch();
        return index == count - 1 ? lastInputs : fullInputs;
    }

    /** The current batch's targets, in the model's output order; empty when aligned without targets. */
    public INDArray[] targets() {
        requireBatch();
        return index == count - 1 ? lastTargets : fullTargets;
    }

    private void copy(RowCopier[] copiers, int start, int rows) {
        for (RowCopier copier : copiers) {
            if (shuffle) {
                copier.gather(order, start, rows);
            } else {
                copier.copyRange(start, rows);
            }
        }
    }

    private void requireBatch() {
        if (index < 0 || index >= count) {
            throw new IllegalStateException(index < 0
                    ? "no current batch: call next() first"
                    : "no current batch: the epoch is over; call startEpoch(epoch) for the next one");
        }
    }

    private static RowCopier[] copiers(INDArray[] sources, int rows) {
        RowCopier[] copiers = new RowCopier[sources.length];
        for (int i = 0; i < sources.length; i++) {
            copiers[i] = new RowCopier(sources[i], rows);
        }
        return copiers;
    }

    private static INDArray[] destinations(RowCopier[] copiers) {
        INDArray[] arrays = new INDArray[copiers.length];
        for (int i = 0; i < copiers.length; i++) {
            arrays[i] = copiers[i].destination();
        }
        return arrays;
    }

    private static INDArray[] firstRows(INDArray[] buffers, int rows) {
        if (buffers.length == 0 || buffers[0].size(0) == rows) {
            return buffers;
        }
        INDArray[] views = new INDArray[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            views[i] = buffers[i].get(NDArrayIndex.interval(0, rows));
        }
        return views;
    }
}
