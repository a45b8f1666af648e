package dev.kiln.runtime.kernel;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code Conv1D} and {@code Conv2D} (channels last, kernel {@code (kh, kw, in, out)}) through ND4J's own
 * {@code conv2d} and {@code conv2d_bp} ops, which the {@code onednn} builds of nd4j-native run on oneDNN: a direct
 * convolution on the NHWC arrays as they are (no gathered columns), backward on oneDNN's Winograd kernels. The ops
 * take Keras's layouts as they are ({@code NHWC}, weights format 0 = {@code (kh, kw, in, out)}), write into the
 * arrays they are given, and run float64 too (ND4J's own loops, where oneDNN has no float64 kernel).
 *
 * <p>The geometry arguments are {@link ConvKernel}'s. The padding is explicit and the same on both sides of an axis
 * ({@code padTop} above and below, {@code padLeft} left and right): the ops cannot place Keras's odd pixel of {@code
 * same} padding, so such layers stay on {@link ConvKernel}'s im2col. A rank-3 array {@code (batch, steps, channels)}
 * (Conv1D, kernel {@code (k, in, out)}) runs as an image of height 1. Which layers come here is the processor's choice
 * ({@code ConvRoute}), with the measurements behind it.
 */
public final class NativeConvKernel {
    private NativeConvKernel() {
    }

    /** {@code y = conv(x, kernel)}: the linear part of the layer, without bias. */
    public static void forward(INDArray x, INDArray kernel, INDArray y, int outH, int outW, int kh, int kw, int sh,
            int sw, int dh, int dw, int padTop, int padLeft) {
        check(y, outH, outW);
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(image(x), kernel(kernel, kh, kw))
                .addOutputs(image(y))
                .addIntegerArguments(arguments(kh, kw, sh, sw, dh, dw, padTop, padLeft))
                .build());
    }

    /**
     * {@code dx = conv^T(dy, kernel)} and {@code dKernel = x^T * dy} in one call (both overwritten): the gradients of
     * {@link #forward}'s output {@code dy} with respect to its input and its kernel.
     */
    public static void backward(INDArray x, INDArray kernel, INDArray dy, INDArray dx, INDArray dKernel, int outH,
            int outW, int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft) {
        check(dy, outH, outW);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(image(x), kernel(kernel, kh, kw), image(dy))
                .addOutputs(image(dx), kernel(dKernel, kh, kw))
                .addIntegerArguments(arguments(kh, kw, sh, sw, dh, dw, padTop, padLeft))
                .build());
    }

    /** Fails when {@code y}'s grid is not {@code (outH, outW)}, the size the planner computed for the layer. */
    private static void check(INDArray y, int outH, int outW) {
        int h = y.rank() == 4 ? (int) y.size(1) : 1;
        if (h != outH || y.size(y.rank() - 2) != outW) {
            throw new IllegalArgumentException("a convolution's output of shape " + Arrays.toString(y.shape())
                    + " does not have the planned grid (" + outH + ", " + outW + ")");
        }
    }

    /**
     * The ops' integer arguments: window, strides, explicit padding, dilations, then "same" mode off (the padding is
     * given), channels last (1: NHWC) and the weights' format (0: {@code (kh, kw, in, out)}).
     */
    private static int[] arguments(int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft) {
        return new int[] {kh, kw, sh, sw, padTop, padLeft, dh, dw, 0, 1, 0};
    }

    /** A rank-3 sequence {@code (batch, steps, channels)} as an image of height 1; a rank-4 array as it is. */
    private static INDArray image(INDArray a) {
        return a.rank() == 4 ? a : a.reshape('c', a.size(0), 1, a.size(1), a.size(2));
    }

    /** Conv1D's kernel {@code (k, in, out)} as {@code (1, k, in, out)}. */
    private static INDArray kernel(INDArray k, int kh, int kw) {
        return k.rank() == 4 ? k : k.reshape('c', kh, kw, k.size(k.rank() - 2), k.size(k.rank() - 1));
    }
}
