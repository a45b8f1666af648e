package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code MaxPooling1D/2D} (channels last) through ND4J's {@code maxpool2d} and {@code maxpool2d_bp} ops, which
 * the {@code onednn} builds run on oneDNN's vectorized pooling. Backward finds each window's maximum again from the
 * input, so no positions are kept between the passes. A tie goes to the window's first maximum (row by row), as in
 * {@link PoolingKernel}: checked for float32 (oneDNN) and float64 (ND4J's own loops).
 *
 * <p>Measured for W2's 2x2 pool of {@code (128, 24, 24, 64)} float32, 2 threads, alternating in one process (loaded
 * 2-core machine): forward 4.9 ms against 53.8 for {@link PoolingKernel#maxForward} (whose per-element select keeps
 * the JIT from vectorizing it), backward 7.9 against 16.3. The geometry arguments are {@link PoolingKernel}'s; the
 * padding must be the same on both sides of an axis (the processor sends other layers to {@link PoolingKernel}). A
 * rank-3 array {@code (batch, steps, channels)} is an image of height 1.
 */
public final class NativePoolingKernel {
    private NativePoolingKernel() {
    }

    /** {@code y = max over each window of x}. */
    public static void maxForward(INDArray x, INDArray y, int ph, int pw, int sh, int sw, int padTop, int padLeft) {
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d")
                .addInputs(image(x))
                .addOutputs(image(y))
                .addIntegerArguments(arguments(ph, pw, sh, sw, padTop, padLeft))
                .build());
    }

    /** {@code dx} (overwritten) gets each {@code dy} at the first maximum of its window of {@code x}. */
    public static void maxBackward(INDArray x, INDArray dy, INDArray dx, int ph, int pw, int sh, int sw, int padTop,
            int padLeft) {
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp")
                .addInputs(image(x), image(dy))
                .addOutputs(image(dx))
                .addIntegerArguments(arguments(ph, pw, sh, sw, padTop, padLeft))
                .build());
    }

    /**
     * The ops' integer arguments: window, strides, explicit padding, dilations 1, "same" mode off (the padding is
     * given), an unused divisor mode, channels last (1: NHWC).
     */
    private static int[] arguments(int ph, int pw, int sh, int sw, int padTop, int padLeft) {
        return new int[] {ph, pw, sh, sw, padTop, padLeft, 1, 1, 0, 0, 1};
    }

    /** A rank-3 sequence {@code (batch, steps, channels)} as an image of height 1; a rank-4 array as it is. */
    private static INDArray image(INDArray a) {
        return a.rank() == 4 ? a : a.reshape('c', a.size(0), 1, a.size(1), a.size(2));
    }
}
