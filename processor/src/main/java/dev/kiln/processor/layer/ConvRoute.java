package dev.kiln.processor.layer;

import dev.kiln.processor.graph.Shape;

/**
 * Which runtime kernels run a {@code Conv1D} or {@code Conv2D}: the one place that decides, per layer, from what is
 * known when the model compiles.
 *
 * <ul>
 *   <li>{@link #NATIVE}: ND4J's {@code conv2d} op forward ({@code NativeConvKernel.forward}; in the onednn builds
 *       oneDNN's direct convolution on the NHWC arrays, no columns gathered) and, when the input needs a gradient,
 *       {@code conv2d_bp} for both gradients at once ({@code NativeConvKernel.backward}; oneDNN's Winograd kernels).
 *       When the input needs none (the data), or a gradient must be added to rather than written (a shared layer, an
 *       input that feeds several layers), the backward pass gathers the columns and runs the GEMMs of {@link #IM2COL}
 *       instead: {@code conv2d_bp} always computes and overwrites both.
 *   <li>{@link #IM2COL}: {@code ConvKernel.im2col} into a planned buffer and Kiln's GEMM, {@code col2im} backward.
 *       The layers whose padding the ops cannot express: Keras's {@code causal}, and {@code same} where the padding of
 *       an axis is odd (TensorFlow puts the odd zero after; the ops pad both sides alike). And dilated ones: ND4J
 *       1.0.0-M2.1 hands oneDNN a dilated convolution it refuses ("could not create a descriptor for a dilated
 *       convolution forward propagation primitive", float32; float64 runs on ND4J's own loops and works).
 * </ul>
 *
 * <p>Measured (float32, batch 128, 2 threads; {@code ConvBench}, the candidates alternated in one process, medians of
 * 11 rounds, 2-core machine at load average 5-7), ms per call, forward / backward:
 *
 * <pre>
 *   layer                          im2col + Kiln GEMM    im2col + Nd4j.gemm   conv2d / conv2d_bp
 *   W2 conv1  28x28x1 -> 32 valid     3.5 / 3.8 (dW)        3.3 / 2.1 (dW)      1.25 / 11.7 (dx wasted)
 *   W2 conv2 26x26x32 -> 64 valid    50.7 / 106.6          26.7 / 69.9         19.0 / 52.4
 *   14x14x64 -> 64 same              40.0 / 74.8           24.7 / 37.0         10.4 / 26.0
 * </pre>
 *
 * The ops win forward on every shape (2.7-3.8x) and backward wherever the input's gradient is wanted (2.0-2.9x); for
 * the kernel's gradient alone ({@code conv2d_bp} computes the input's too, on one input channel oneDNN's Winograd
 * kernel makes that the bulk) the im2col GEMM wins. Direct Java loops for one input channel measured 17 / 16 ms, and
 * ND4J's {@code deconv2d} for the input's gradient alone was no faster than {@code conv2d_bp} for both.
 */
enum ConvRoute {
    NATIVE,
    IM2COL;

    /** The route of a convolution over {@code in} (one sample, channels last) with one window per spatial axis. */
    static ConvRoute of(SlidingWindow[] windows, Shape in) {
        for (int axis = 0; axis < windows.length; axis++) {
            if (windows[axis].dilation() != 1 || !windows[axis].evenlyPadded(in.dim(axis))) {
                return IM2COL;
            }
        }
        return NATIVE;
    }
}
