package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Embedding}: rows of a table gathered by id, and the table's gradient scattered back (repeated ids
 * add up). Ids may come in any numeric data type; each must be a whole number in {@code [0, rows)}.
 */
public final class EmbeddingKernel {
    private EmbeddingKernel() {
    }

    /**
     * {@code y[i] = table[ids[i]]} for every id (C order), each a row of {@code table}'s width. An id that is not a
     * whole number in range is an {@link IllegalArgumentException} naming {@code input}, the sample and the id.
     */
    public static void forward(INDArray ids, INDArray table, INDArray y, String input) {
        Vec t = Vec.of(table);
        Vec out = Vec.of(y);
        int width = Math.toIntExact(table.size(1));
        int rows = Math.toIntExact(table.size(0));
        int n = Math.toIntExact(ids.length());
        DataBuffer data = ids.data();
        long offset = ids.offset();
        int perSample = n / Math.max(1, Math.toIntExact(ids.size(0)));
        for (int i = 0; i < n; i++) {
            double id = data.getDouble(offset + i);
            int row = (int) id;
            if (row != id || row < 0 || row >= rows) {
                throw new IllegalArgumentException("input '" + input + "' holds id "
                        + (row == id ? Integer.toString(row) : Double.toString(id))
                        + " in sample " + (i / perSample) + ", but the embedding has ids 0 to " + (rows - 1)
                        + " (inputDim = " + rows + ")");
            }
            for (int j = 0, from = row * width, to = i * width; j < width; j++) {
                out.set(to + j, t.get(from + j));
            }
        }
    }

    /** As {@link #forward(INDArray, INDArray, INDArray, String)}, and {@code mask[i] = ids[i] != 0 ? 1 : 0}. */
    public static void forward(INDArray ids, INDArray table, INDArray y, String input, INDArray mask) {
        forward(ids, table, y, input);
        Vec m = Vec.of(mask);
        DataBuffer data = ids.data();
        long offset = ids.offset();
        for (int i = 0, n = Math.toIntExact(ids.length()); i < n; i++) {
            m.set(i, data.getDouble(offset + i) != 0 ? 1 : 0);
        }
    }

    /**
     * {@code dTable[ids[i]] += dy[i]}: the table's gradient, written (every row not looked up is zero) or, with
     * {@code accumulate}, added to what is there (a shared embedding's second application). Ids were checked forward.
     */
    public static void backward(INDArray ids, INDArray dy, INDArray dTable, boolean accumulate) {
        if (!accumulate) {
            dTable.assign(0);
        }
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dTable);
        int width = Math.toIntExact(dTable.size(1));
        DataBuffer data = ids.data();
        long offset = ids.offset();
        for (int i = 0, n = Math.toIntExact(ids.length()); i < n; i++) {
            int row = (int) data.getDouble(offset + i);
            for (int j = 0, to = row * width, from = i * width; j < width; j++) {
                d.set(to + j, d.get(to + j) + g.get(from + j));
            }
        }
    }
}
