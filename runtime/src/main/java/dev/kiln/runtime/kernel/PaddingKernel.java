package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code ZeroPadding2D} and {@code Cropping2D} (channels last), each the other's backward pass: {@link #pad}
 * places a small image inside a larger one at {@code (top, left)}, zeros around it; {@link #crop} takes the small one
 * back out. Both copy one row of pixels (their channels) at a time.
 */
public final class PaddingKernel {
    private PaddingKernel() {
    }

    /** {@code big = zeros with small at (top, left)}; with {@code accumulate}, {@code small} is added there instead. */
    public static void pad(INDArray small, INDArray big, boolean accumulate, int top, int left) {
        Vec s = Vec.of(small);
        Vec d = Vec.of(big);
        if (!accumulate) {
            for (int i = 0; i < d.length(); i++) {
                d.set(i, 0);
            }
        }
        each(small, big, top, left, (from, to, n) -> {
            for (int k = 0; k < n; k++) {
                d.set(to + k, accumulate ? d.get(to + k) + s.get(from + k) : s.get(from + k));
            }
        });
    }

    /** {@code small = big[:, top : top + h, left : left + w, :]} (or {@code +=} with {@code accumulate}). */
    public static void crop(INDArray big, INDArray small, boolean accumulate, int top, int left) {
        Vec s = Vec.of(big);
        Vec d = Vec.of(small);
        each(small, big, top, left, (to, from, n) -> {
            for (int k = 0; k < n; k++) {
                d.set(to + k, accumulate ? d.get(to + k) + s.get(from + k) : s.get(from + k));
            }
        });
    }

    /** A row of {@code n} elements at {@code small} in the small image and {@code big} in the large one. */
    private interface Row {
        void copy(int small, int big, int n);
    }

    private static void each(INDArray small, INDArray big, int top, int left, Row row) {
        int batch = (int) small.size(0);
        int h = (int) small.size(1);
        int w = (int) small.size(2);
        int c = (int) small.size(3);
        int bigH = (int) big.size(1);
        int bigW = (int) big.size(2);
        for (int b = 0; b < batch; b++) {
            for (int y = 0; y < h; y++) {
                row.copy(((b * h + y) * w) * c, ((b * bigH + y + top) * bigW + left) * c, w * c);
            }
        }
    }
}
