package dev.kiln.runtime.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An in-memory {@link BatchSource} for tests. With {@code reuseBuffers}, every batch is written into the same
 * arrays (a smaller last batch gets views), as a data set that reuses its buffers would.
 */
final class ArraySource implements BatchSource {

    private final INDArray[] inputs;
    private final INDArray[] targets;
    private final boolean reuseBuffers;

    ArraySource(INDArray[] inputs, INDArray[] targets, boolean reuseBuffers) {
        this.inputs = inputs;
        this.targets = targets;
        this.reuseBuffers = reuseBuffers;
    }

    static ArraySource of(INDArray x, INDArray y) {
        return new ArraySource(new INDArray[] {x}, new INDArray[] {y}, false);
    }

    /** {@code n} samples whose single input column holds the sample's id 0..n-1, with the same targets. */
    static ArraySource ids(int n) {
        INDArray x = Nd4j.arange(n).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape(n, 1);
        return of(x, x.dup());
    }

    ArraySource reusingBuffers() {
        return new ArraySource(inputs, targets, true);
    }

    @Override
    public long size() {
        return inputs[0].size(0);
    }

    @Override
    public Iterator<Batch> epoch(int batchSize, boolean shuffle, long seed, int epoch) {
        int n = (int) size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random random = new Random(seed * 1_000_003L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        INDArray[] inBuffers = reuseBuffers ? buffers(inputs, batchSize) : null;
        INDArray[] targetBuffers = reuseBuffers ? buffers(targets, batchSize) : null;
        return new Iterator<>() {
            int start;
            int index;

            @Override
            public boolean hasNext() {
                return start < n;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int size = Math.min(batchSize, n - start);
                int[] rows = java.util.Arrays.copyOfRange(order, start, start + size);
                start += size;
                return new Batch(gather(inputs, rows, inBuffers), gather(targets, rows, targetBuffers), size,
                        index++);
            }
        };
    }

    @Override
    public BatchSource[] split(double validationFraction) {
        int n = (int) size();
        int at = (int) Math.floor(n * (1 - validationFraction));
        return new BatchSource[] {slice(0, at), slice(at, n)};
    }

    private ArraySource slice(int from, int to) {
        return new ArraySource(slice(inputs, from, to), slice(targets, from, to), reuseBuffers);
    }

    private static INDArray[] slice(INDArray[] arrays, int from, int to) {
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = rows(arrays[i], from, to).dup();
        }
        return out;
    }

    private static INDArray[] buffers(INDArray[] arrays, int batchSize) {
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            long[] shape = arrays[i].shape().clone();
            shape[0] = batchSize;
            out[i] = Nd4j.create(arrays[i].dataType(), shape);
        }
        return out;
    }

    private static INDArray[] gather(INDArray[] arrays, int[] rows, INDArray[] buffers) {
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            INDArray picked = a.rank() == 1
                    ? Nd4j.pullRows(a.reshape(a.length(), 1), 1, rows).reshape(rows.length)
                    : Nd4j.pullRows(a, 1, rows);
            if (buffers == null) {
                out.add(picked);
            } else {
                INDArray view = rows(buffers[i], 0, rows.length);
                view.assign(picked);
                out.add(view);
            }
        }
        return out.toArray(new INDArray[0]);
    }

    static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return a.get(index);
    }
}
