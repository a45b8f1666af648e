package dev.kiln.runtime.data;

import dev.kiln.dsl.Loss;
import dev.kiln.runtime.train.BatchSource;
import dev.kiln.runtime.train.Trainable;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A data set ordered for one model, as the training loop's {@link BatchSource}. Targets line up with the model's
 * outputs; an output without a loss gets {@code null}. The batch buffers are made once and reused every epoch.
 */
final class AlignedSource implements BatchSource {
    private final Dataset data;
    private final Dataset.Aligned aligned;
    private final boolean[] hasLoss;
    private Batches batches;
    private int cachedBatchSize = -1;
    private boolean cachedShuffle;
    private long cachedSeed;

    private AlignedSource(Dataset data, Dataset.Aligned aligned, boolean[] hasLoss) {
        this.data = data;
        this.aligned = aligned;
        this.hasLoss = hasLoss;
    }

    /** {@code data} for {@code model}: its inputs, and targets for the outputs that have a loss (if it has targets). */
    static AlignedSource of(Dataset data, Trainable model) {
        List<OutputSpec> outputs = model.outputs();
        boolean[] hasLoss = new boolean[outputs.size()];
        for (int i = 0; i < hasLoss.length; i++) {
            hasLoss[i] = outputs.get(i).loss() != Loss.NONE;
        }
        List<String> withLoss = outputs.stream().filter(o -> o.loss() != Loss.NONE).map(OutputSpec::name).toList();
        Dataset.Aligned aligned = data.hasTargets() && !withLoss.isEmpty()
                ? data.aligned(model.inputNames(), withLoss)
                : data.alignedInputs(model.inputNames());
        return new AlignedSource(data, aligned, hasLoss);
    }

    /** {@code data} before it meets a model: {@link #alignedTo} orders it for one. */
    static AlignedSource unaligned(Dataset data) {
        return new AlignedSource(data, null, null);
    }

    @Override
    public long size() {
        return data.size();
    }

    @Override
    public BatchSource alignedTo(Trainable model) {
        return of(data, model);
    }

    @Override
    public Iterator<Batch> epoch(int batchSize, boolean shuffle, long seed, int epoch) {
        requireAligned();
        if (batches == null || batchSize != cachedBatchSize || shuffle != cachedShuffle || seed != cachedSeed) {
            batches = aligned.batches(batchSize, shuffle, seed);
            cachedBatchSize = batchSize;
            cachedShuffle = shuffle;
            cachedSeed = seed;
        }
        Batches b = batches;
        b.startEpoch(epoch);
        return new Iterator<>() {
            private boolean ready;
            private boolean more;

            @Override
            public boolean hasNext() {
                if (!ready) {
                    more = b.next();
                    ready = true;
                }
                return more;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                return new Batch(b.inputs(), targets(b.targets()), b.size(), b.index());
            }
        };
    }

    private org.nd4j.linalg.api.ndarray.INDArray[] targets(org.nd4j.linalg.api.ndarray.INDArray[] given) {
        if (given.length == hasLoss.length) {
            return given;
        }
        org.nd4j.linalg.api.ndarray.INDArray[] out = new org.nd4j.linalg.api.ndarray.INDArray[hasLoss.length];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = hasLoss[i] && k < given.length ? given[k++] : null;
        }
        return out;
    }

    @Override
    public BatchSource[] split(double validationFraction) {
        requireAligned();
        TrainValidation parts = data.split(validationFraction);
        return new BatchSource[] {new AlignedSource(parts.train(), null, hasLoss).realign(this),
            new AlignedSource(parts.validation(), null, hasLoss).realign(this)};
    }

    private void requireAligned() {
        if (aligned == null) {
            throw new IllegalStateException("this data set is not matched to a model yet: use alignedTo(model) first");
        }
    }

    /** This part aligned the way {@code whole} was. */
    private BatchSource realign(AlignedSource whole) {
        Dataset.Aligned a = whole.aligned.hasTargets()
                ? data.aligned(whole.aligned.inputNames(), whole.aligned.targetNames())
                : data.alignedInputs(whole.aligned.inputNames());
        return new AlignedSource(data, a, hasLoss);
    }
}
