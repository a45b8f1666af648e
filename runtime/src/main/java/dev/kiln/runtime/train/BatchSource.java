package dev.kiln.runtime.train;

import java.util.Iterator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mini-batches of inputs and targets, already ordered as the model's inputs and outputs: what {@link Trainer}
 * iterates. A data set adapts itself to this interface; tests use small in-memory ones.
 *
 * <p>Buffer reuse is allowed: the arrays of a {@link Batch} need only stay valid until the iterator's next
 * {@code next()} call, so a source may fill the same preallocated arrays batch after batch (and hand out views for
 * a smaller last batch). The trainer never keeps a batch's arrays past that.
 */
public interface BatchSource {

    /**
     * One mini-batch. {@code inputs[i]} feeds the model's input i, {@code targets[j]} is the target of output j
     * (empty when the source has no targets, which only {@link Trainer#predict} accepts); every array has
     * {@code size} rows.
     *
     * @param size the number of samples, at most the batch size (the last batch of an epoch may be smaller)
     * @param index the batch's position within its epoch, from 0
     */
    record Batch(INDArray[] inputs, INDArray[] targets, int size, int index) {
        public Batch {
            if (size < 1) {
                throw new IllegalArgumentException("a batch holds at least one sample, but size is " + size);
            }
        }
    }

    /** The number of samples. */
    long size();

    /** Batches per epoch: {@code ceil(size / batchSize)}, the last one holding the remainder. */
    default int batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, but is " + batchSize);
        }
        return Math.toIntExact((size() + batchSize - 1) / batchSize);
    }

    /**
     * One pass over all samples in batches of {@code batchSize} (the last one smaller when it does not divide).
     *
     * @param shuffle whether to visit samples in a random order; when false, in storage order
     * @param seed with {@code epoch}, determines the order: the same pair gives the same order every time
     * @param epoch the epoch index from 0, so that each epoch gets another order from one seed
     */
    Iterator<Batch> epoch(int batchSize, boolean shuffle, long seed, int epoch);

    /**
     * Splits off a validation part as Keras's {@code validation_split} does: before any shuffling, the first
     * {@code floor(size * (1 - fraction))} samples train and the rest validate.
     *
     * @param validationFraction in (0, 1)
     * @return {@code [train, validation]}
     */
    BatchSource[] split(double validationFraction);

    /**
     * This source ordered for {@code model}; a data set that names its arrays matches them to the model's input and
     * output names here. The training loop calls it once before iterating. The default returns this source.
     */
    default BatchSource alignedTo(Trainable model) {
        return this;
    }
}
