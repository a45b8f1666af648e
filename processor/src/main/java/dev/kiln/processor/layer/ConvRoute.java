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
 * 11 rounds; the 2-core machine shared with other builds), ms per call, forward / backward; "backward" is both
 * gradients, or the kernel's alone for conv1, whose input is the data:
 *
 * <pre>
 *   load average 5-7                 im2col + Kiln GEMM    im2col + Nd4j.gemm   conv2d / conv2d_bp (2 OpenMP threads)
 *   W2 conv1  28x28x1 -> 32 valid       3.5 / 3.8             3.3 / 2.1           1.25 / 11.7 (its dx wasted)
 *   W2 conv2 26x26x32 -> 64 valid      50.7 / 106.6          26.7 / 69.9         19.0 / 52.4
 *   14x14x64 -> 64 same                40.0 / 74.8           24.7 / 37.0         10.4 / 26.0
 *
 *   load average 11-15, the route    im2col + Kiln GEMM    this route          ratio
 *   W2 conv1                            6.7 / 12.2            1.9 / 7.2          3.5x / 1.7x
 *   W2 conv2                          180.7 / 355.0          48.0 / 214.5        3.8x / 1.7x
 *   14x14x64 -> 64 same               135.3 / 252.3          32.5 / 110.1        4.2x / 2.3x
 * </pre>
 *
 * The ops win forward on every shape (3-4x) and backward wherever the input's gradient is wanted; for the kernel's
 * gradient alone ({@code conv2d_bp} computes the input's too, on one input channel oneDNN's Winograd kernel makes that
 * the bulk) the im2col GEMM wins. On the loaded machine one {@code conv2d_bp} on two OpenMP threads swung from 35 to
 * 530 ms (its threads meet at barriers and one is often descheduled), so {@code NativeConvKernel.backward} runs it in
 * chunks of the batch on Kiln's threads, one OpenMP thread each (its Javadoc has both sides of that trade). Not taken: direct Java loops for one input channel
 * (17 / 16 ms: the loop over 32 filters is shorter than the JIT's unrolled vector loop), ND4J's {@code deconv2d} for
 * the input's gradient alone (no faster than {@code conv2d_bp}, and 0.7-2.5 s on the {@code same} shape), Winograd of
 * our own (oneDNN's backward already is one).
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
