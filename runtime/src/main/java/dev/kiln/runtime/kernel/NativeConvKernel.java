package dev.kiln.runtime.kernel;

import dev.kiln.runtime.Memory;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

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
    /** Chunks of a batch per Kiln thread in {@link #backward}: enough that a slowed thread leaves its share. */
    private static final int CHUNKS_PER_THREAD = 4;
    private static final NativeOps OPS = NativeOpsHolder.getInstance().getDeviceNativeOps();
    private static final ThreadLocal<Map<DataType, INDArray>> SCRATCH = ThreadLocal.withInitial(
            () -> new EnumMap<>(DataType.class));

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
     * {@code dx = conv^T(dy, kernel)} and {@code dKernel = x^T * dy} (both overwritten): the gradients of {@link
     * #forward}'s output {@code dy} with respect to its input and its kernel.
     *
     * <p>The batch is cut into {@link #CHUNKS_PER_THREAD} chunks per Kiln thread, each a {@code conv2d_bp} on one
     * OpenMP thread, shared out by {@link Workers#share} to whichever thread is free; each chunk's kernel gradient goes
     * to its own row of a scratch array, and the rows are added in chunk order, so the result is the same bits
     * whichever thread ran which chunk. Measured for W2's conv2 (alternating in one process, medians), against one
     * {@code conv2d_bp} on two OpenMP threads and the im2col GEMMs: at load average 11 (other builds), 79 ms against
     * 225 and 178 (the OpenMP threads meet at barriers, and on a loaded machine one of them is often descheduled while
     * the other waits: single calls swung from 35 to 530 ms); at load average 2.5, 37-43 ms against 27-37 and 53. So
     * the chunks cost up to a third on an idle machine and save two thirds on a busy one; the benchmark machine is
     * busy.
     */
    public static void backward(INDArray x, INDArray kernel, INDArray dy, INDArray dx, INDArray dKernel, int outH,
            int outW, int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft) {
        check(dy, outH, outW);
        int[] args = arguments(kh, kw, sh, sw, dh, dw, padTop, padLeft);
        int batch = (int) x.size(0);
        int chunks = Math.min(batch, CHUNKS_PER_THREAD * Workers.THREADS);
        if (chunks <= 1) {
            backward(x, kernel, dy, dx, kernel(dKernel, kh, kw), kh, kw, args);
            return;
        }
        int size = (int) dKernel.length();
        INDArray rows = scratch(dKernel.dataType(), chunks, size);
        int per = (batch + chunks - 1) / chunks;
        int callerThreads = OPS.ompGetMaxThreads();
        try {
            Workers.share(chunks, c -> {
                int from = Math.min(batch, c * per);
                int to = Math.min(batch, from + per);
                OPS.setOmpNumThreads(1);
                INDArray row = rows.get(NDArrayIndex.point(c), NDArrayIndex.all());
                if (from == to) {
                    row.assign(0);
                    return;
                }
                backward(batchRows(x, from, to), kernel, batchRows(dy, from, to), batchRows(dx, from, to),
                        kernel(row.reshape('c', dKernel.shape()), kh, kw), kh, kw, args);
            });
        } finally {
            OPS.setOmpNumThreads(callerThreads); // the caller's own setting, for its other ND4J work
        }
        Vec sum = Vec.of(dKernel);
        Vec parts = Vec.of(rows);
        for (int i = 0; i < size; i++) {
            double v = 0;
            for (int c = 0; c < chunks; c++) {
                v += parts.get(c * size + i);
            }
            sum.set(i, v);
        }
    }

    private static void backward(INDArray x, INDArray kernel, INDArray dy, INDArray dx, INDArray dKernel, int kh,
            int kw, int[] args) {
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(image(x), kernel(kernel, kh, kw), image(dy))
                .addOutputs(image(dx), dKernel)
                .addIntegerArguments(args)
                .build());
    }

    /** Samples {@code [from, to)} of a batch, a view. */
    private static INDArray batchRows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to));
    }

    /**
     * The calling thread's scratch, as {@code (chunks, size)}: one kernel gradient per chunk. Its memory is allocated
     * through {@link Memory} when a call first needs it (or more of it) and kept for the thread's next calls, whatever
     * their shape, so a warm step allocates nothing; each training thread has its own.
     */
    private static INDArray scratch(DataType type, int chunks, int size) {
        long length = (long) chunks * size;
        INDArray have = SCRATCH.get().get(type);
        if (have == null || have.length() < length) {
            have = Memory.zeros(type, length);
            SCRATCH.get().put(type, have);
        }
        return have.get(NDArrayIndex.interval(0, length)).reshape('c', chunks, size);
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
