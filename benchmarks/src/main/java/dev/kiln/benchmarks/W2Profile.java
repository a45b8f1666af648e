package dev.kiln.benchmarks;

import dev.kiln.dsl.Activation;
import dev.kiln.runtime.kernel.Activations;
import dev.kiln.runtime.kernel.ConvKernel;
import dev.kiln.runtime.kernel.Kernels;
import dev.kiln.runtime.kernel.NativeConvKernel;
import dev.kiln.runtime.kernel.NativePoolingKernel;
import dev.kiln.runtime.kernel.PoolingKernel;
import dev.kiln.runtime.optim.Adam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * W2's training step by phase: the generated {@code FashionCnnModel}'s forward and backward calls, replayed on buffers
 * of the same shapes with each call timed, many steps, median per phase; beside it the real model's forward
 * ({@code predictBatch}), forward + loss + backward ({@code computeGradients}) and whole step ({@code trainStep}),
 * whose difference is the optimizer (Adam) and the finiteness check. Batch 128, float32, random data.
 *
 * <p>Run: {@code OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE java -cp
 * benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.kiln.benchmarks.W2Profile [steps]}. The
 * replayed calls are the generated code's; when the lowering changes, this class follows it.
 */
final class W2Profile {
    private static final int BATCH = 128;

    private final Map<String, List<Double>> phases = new LinkedHashMap<>();

    private W2Profile() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        new W2Profile().run(steps);
    }

    private void run(int steps) {
        Nd4j.getRandom().setSeed(3);
        Replay before = new Replay("im2col: ", false);
        Replay after = new Replay("native: ", true);
        FashionCnnModel model = FashionCnnModel.create(42);
        model.compile(new Adam(1e-3));
        INDArray[] x = {Nd4j.rand(DataType.FLOAT, BATCH, 28, 28, 1)};
        INDArray[] y = {Nd4j.rand(DataType.FLOAT, BATCH).muli(10).castTo(DataType.INT32).castTo(DataType.FLOAT)};
        for (int s = -3; s < steps; s++) {
            boolean keep = s >= 0;
            before.step(keep);
            after.step(keep);
            time(keep, "model: forward (predictBatch)", () -> model.predictBatch(x));
            time(keep, "model: fwd+loss+bwd (computeGradients)", () -> model.computeGradients(x, y, true));
            time(keep, "model: trainStep", () -> model.trainStep(x, y));
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : phases.entrySet()) {
            double median = Timing.median(e.getValue());
            String replay = e.getKey().substring(0, e.getKey().indexOf(':') + 1);
            sums.merge(replay, median, Double::sum);
            System.out.printf(Locale.ROOT, "%-48s %8.2f ms%n", e.getKey(), median);
        }
        sums.forEach((replay, sum) -> System.out.printf(Locale.ROOT, "%-48s %8.2f ms%n", replay + " sum of the phases",
                sum));
    }

    private void time(boolean keep, String phase, Runnable body) {
        double ms = Timing.seconds(body) * 1e3;
        if (keep) {
            phases.computeIfAbsent(phase, p -> new ArrayList<>()).add(ms);
        }
    }

    /**
     * The generated step's buffers and calls: the convolutions as im2col + GEMM (the lowering before {@code ConvRoute})
     * or on ND4J's ops, max pooling too (the lowering now).
     */
    private final class Replay {
        final String name;
        final boolean nativeConv;
        final INDArray image = Nd4j.rand(DataType.FLOAT, BATCH, 28, 28, 1);
        final INDArray conv1Kernel = Nd4j.rand(DataType.FLOAT, 3, 3, 1, 32).subi(0.5);
        final INDArray conv1Bias = Nd4j.create(DataType.FLOAT, 32);
        final INDArray conv2Kernel = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 64).subi(0.5).divi(10);
        final INDArray conv2Bias = Nd4j.create(DataType.FLOAT, 64);
        final INDArray hiddenKernel = Nd4j.rand(DataType.FLOAT, 9216, 128).subi(0.5).divi(50);
        final INDArray hiddenBias = Nd4j.create(DataType.FLOAT, 128);
        final INDArray labelKernel = Nd4j.rand(DataType.FLOAT, 128, 10).subi(0.5);
        final INDArray labelBias = Nd4j.create(DataType.FLOAT, 10);
        final INDArray conv1KernelGrad = conv1Kernel.ulike();
        final INDArray conv1BiasGrad = conv1Bias.ulike();
        final INDArray conv2KernelGrad = conv2Kernel.ulike();
        final INDArray conv2BiasGrad = conv2Bias.ulike();
        final INDArray hiddenKernelGrad = hiddenKernel.ulike();
        final INDArray hiddenBiasGrad = hiddenBias.ulike();
        final INDArray labelKernelGrad = labelKernel.ulike();
        final INDArray labelBiasGrad = labelBias.ulike();
        final INDArray conv1Columns = Nd4j.create(DataType.FLOAT, BATCH, 676, 9);
        final INDArray conv1 = Nd4j.create(DataType.FLOAT, BATCH, 26, 26, 32);
        final INDArray conv2Columns = Nd4j.create(DataType.FLOAT, BATCH, 576, 288);
        final INDArray conv2 = Nd4j.create(DataType.FLOAT, BATCH, 24, 24, 64);
        final INDArray dConv1 = conv1.ulike();
        final INDArray dConv2 = conv2.ulike();
        final INDArray pooled = Nd4j.create(DataType.FLOAT, BATCH, 12, 12, 64);
        final INDArray pooledArgmax = pooled.ulike();
        final INDArray flat = Nd4j.create(DataType.FLOAT, BATCH, 9216);
        final INDArray dFlat = flat.ulike();
        final INDArray dPooled = pooled.ulike();
        final INDArray hidden = Nd4j.create(DataType.FLOAT, BATCH, 128);
        final INDArray dHidden = hidden.ulike();
        final INDArray label = Nd4j.create(DataType.FLOAT, BATCH, 10);
        final INDArray dLabel = Nd4j.rand(DataType.FLOAT, BATCH, 10).subi(0.5).divi(BATCH);

        Replay(String name, boolean nativeConv) {
            this.name = name;
            this.nativeConv = nativeConv;
        }

        private void time(boolean keep, String phase, Runnable body) {
            W2Profile.this.time(keep, name + phase, body);
        }

        void step(boolean keep) {
            if (nativeConv) {
                time(keep, "fwd conv1 conv2d op", () -> NativeConvKernel.forward(image, conv1Kernel, conv1, 26, 26, 3,
                        3, 1, 1, 1, 1, 0, 0));
            } else {
                time(keep, "fwd conv1 im2col", () -> ConvKernel.im2col(image, conv1Columns, 26, 26, 3, 3, 1, 1, 1, 1,
                        0, 0));
                time(keep, "fwd conv1 gemm", () -> Kernels.gemm(conv1Columns, conv1Kernel, conv1, false, false));
            }
            time(keep, "fwd conv1 bias+relu", () -> Activations.biasForward(Activation.RELU, conv1, conv1Bias, conv1));
            if (nativeConv) {
                time(keep, "fwd conv2 conv2d op", () -> NativeConvKernel.forward(conv1, conv2Kernel, conv2, 24, 24, 3,
                        3, 1, 1, 1, 1, 0, 0));
            } else {
                time(keep, "fwd conv2 im2col", () -> ConvKernel.im2col(conv1, conv2Columns, 24, 24, 3, 3, 1, 1, 1, 1,
                        0, 0));
                time(keep, "fwd conv2 gemm", () -> Kernels.gemm(conv2Columns, conv2Kernel, conv2, false, false));
            }
            time(keep, "fwd conv2 bias+relu", () -> Activations.biasForward(Activation.RELU, conv2, conv2Bias, conv2));
            if (nativeConv) {
                time(keep, "fwd maxpool op", () -> NativePoolingKernel.maxForward(conv2, pooled, 2, 2, 2, 2, 0, 0));
            } else {
                time(keep, "fwd maxpool", () -> PoolingKernel.maxForward(conv2, pooled, pooledArgmax, 2, 2, 2, 2, 0,
                        0));
            }
            time(keep, "fwd flatten copy", () -> Kernels.copy(pooled, flat, false));
            time(keep, "fwd hidden gemm", () -> Kernels.gemm(flat, hiddenKernel, hidden, false, false));
            time(keep, "fwd hidden bias+relu", () -> Activations.biasForward(Activation.RELU, hidden, hiddenBias,
                    hidden));
            time(keep, "fwd label gemm+softmax", () -> {
                Kernels.gemm(hidden, labelKernel, label, false, false);
                Activations.biasForward(Activation.SOFTMAX, label, labelBias, label);
            });
            time(keep, "bwd label (bias grad, 2 gemms)", () -> {
                Kernels.biasGradient(dLabel, labelBiasGrad, false);
                Kernels.gemm(hidden, dLabel, labelKernelGrad, true, false);
                Kernels.gemm(dLabel, labelKernel, dHidden, false, true);
            });
            time(keep, "bwd hidden relu'+bias grad", () -> Activations.backwardWithBias(Activation.RELU, null, hidden,
                    dHidden, hiddenBiasGrad, false));
            time(keep, "bwd hidden dW gemm", () -> Kernels.gemm(flat, dHidden, hiddenKernelGrad, true, false));
            time(keep, "bwd hidden dX gemm", () -> Kernels.gemm(dHidden, hiddenKernel, dFlat, false, true));
            time(keep, "bwd flatten copy", () -> Kernels.copy(dFlat, dPooled, false));
            if (nativeConv) {
                time(keep, "bwd maxpool op", () -> NativePoolingKernel.maxBackward(conv2, dPooled, dConv2, 2, 2, 2, 2,
                        0, 0));
            } else {
                time(keep, "bwd maxpool", () -> PoolingKernel.maxBackward(dPooled, pooledArgmax, dConv2, false, 2, 2,
                        2, 2, 0, 0));
            }
            time(keep, "bwd conv2 relu'+bias grad", () -> Activations.backwardWithBias(Activation.RELU, null, conv2,
                    dConv2, conv2BiasGrad, false));
            if (nativeConv) {
                time(keep, "bwd conv2 conv2d_bp op", () -> NativeConvKernel.backward(conv1, conv2Kernel, dConv2, dConv1,
                        conv2KernelGrad, 24, 24, 3, 3, 1, 1, 1, 1, 0, 0));
            } else {
                time(keep, "bwd conv2 dW gemm", () -> Kernels.gemm(conv2Columns, dConv2, conv2KernelGrad, true,
                        false));
                time(keep, "bwd conv2 dcolumns gemm", () -> Kernels.gemm(dConv2, conv2Kernel, conv2Columns, false,
                        true));
                time(keep, "bwd conv2 col2im", () -> ConvKernel.col2im(conv2Columns, dConv1, false, 24, 24, 3, 3, 1,
                        1, 1, 1, 0, 0));
            }
            time(keep, "bwd conv1 relu'+bias grad", () -> Activations.backwardWithBias(Activation.RELU, null, conv1,
                    dConv1, conv1BiasGrad, false));
            if (nativeConv) {
                time(keep, "bwd conv1 im2col", () -> ConvKernel.im2col(image, conv1Columns, 26, 26, 3, 3, 1, 1, 1, 1,
                        0, 0));
            }
            time(keep, "bwd conv1 dW gemm", () -> Kernels.gemm(conv1Columns, dConv1, conv1KernelGrad, true, false));
        }
    }
}
