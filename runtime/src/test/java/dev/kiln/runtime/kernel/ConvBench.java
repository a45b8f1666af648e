package dev.kiln.runtime.kernel;

import dev.kiln.dsl.Activation;
import java.util.Arrays;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A measurement, not a test: Kiln's Conv2D (im2col into a preallocated buffer, Kiln's GEMM, col2im) against ND4J's own
 * {@code conv2d} / {@code conv2d_bp} ops (oneDNN in the onednn classifier) on the two convolutions of Keras's
 * {@code mnist_convnet} at batch 128, float32, NHWC, valid, 3x3, all into preallocated outputs. Prints medians of
 * {@code runs} timings of each pass after a warm-up, and checks that both compute the same numbers.
 *
 * <pre>
 * mvn -B -q -o test-compile -pl dsl,runtime
 * mvn -B -q -o -pl runtime org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=cp.txt
 * OMP_WAIT_POLICY=PASSIVE java -cp runtime/target/test-classes:runtime/target/classes:dsl/target/classes:$(cat cp.txt) \
 *     dev.kiln.runtime.kernel.ConvBench [runs]
 * </pre>
 */
public final class ConvBench {
    private ConvBench() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.println("threads: kiln " + Workers.THREADS + ", runs " + runs + " (median ms)");
        pooling(128, 26, 26, 32, runs);
        if (args.length > 1) {
            return; // "ConvBench N pool": the pooling line only
        }
        layer("conv1 28x28x1 -> 32 3x3", 128, 28, 28, 1, 32, runs);
        layer("conv2 13x13x32 -> 64 3x3 (mnist_convnet after pooling)", 128, 13, 13, 32, 64, runs);
        layer("conv2 26x26x32 -> 64 3x3 (the issue's W2-like shape)", 128, 26, 26, 32, 64, runs);
    }

    private static void layer(String name, int batch, int h, int w, int c, int f, int runs) {
        int k = 3;
        int oh = h - k + 1;
        int ow = w - k + 1;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, w, c).subi(0.5);
        INDArray kernel = Nd4j.rand(DataType.FLOAT, k, k, c, f).subi(0.5).muli(0.2);
        INDArray bias = Nd4j.rand(DataType.FLOAT, f);
        INDArray dy = Nd4j.rand(DataType.FLOAT, batch, oh, ow, f).subi(0.5);
        INDArray columns = Nd4j.create(DataType.FLOAT, batch, (long) oh * ow, (long) k * k * c);
        INDArray y = Nd4j.create(DataType.FLOAT, batch, oh, ow, f);
        INDArray dx = Nd4j.create(DataType.FLOAT, batch, h, w, c);
        INDArray dKernel = Nd4j.create(DataType.FLOAT, k, k, c, f);
        INDArray dBias = Nd4j.create(DataType.FLOAT, f);

        Runnable kilnForward = () -> {
            ConvKernel.im2col(x, columns, oh, ow, k, k, 1, 1, 1, 1, 0, 0);
            Kernels.gemm(columns, kernel, y, false, false);
            Activations.biasForward(Activation.RELU, y, bias, y); // mnist_convnet's convolutions end in relu
        };
        Runnable kilnWeights = () -> {
            Kernels.biasGradient(dy, dBias, false); // (the model fuses it with relu's derivative)
            Kernels.gemm(columns, dy, dKernel, true, false);
        };
        Runnable kilnInput = () -> {
            Kernels.gemm(dy, kernel, columns, false, true);
            ConvKernel.col2im(columns, dx, false, oh, ow, k, k, 1, 1, 1, 1, 0, 0);
        };

        Conv2DConfig config = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
        INDArray ny = Nd4j.create(DataType.FLOAT, batch, oh, ow, f);
        INDArray ndx = Nd4j.create(DataType.FLOAT, batch, h, w, c);
        INDArray ndKernel = Nd4j.create(DataType.FLOAT, k, k, c, f);
        INDArray ndBias = Nd4j.create(DataType.FLOAT, f);
        Conv2D forwardOp = new Conv2D(new INDArray[] {x, kernel, bias}, new INDArray[] {ny}, config);
        long[] iArgs = forwardOp.iArgs();
        DynamicCustomOp backwardOp = DynamicCustomOp.builder("conv2d_bp").addInputs(x, kernel, bias, dy)
                .addOutputs(ndx, ndKernel, ndBias)
                .addIntegerArguments(Arrays.stream(iArgs).mapToInt(v -> (int) v).toArray()).build();
        Runnable ndForward = () -> Nd4j.getExecutioner().exec(forwardOp);
        Runnable ndBackward = () -> Nd4j.getExecutioner().exec(backwardOp);

        kilnForward.run();
        kilnWeights.run();
        kilnInput.run();
        ndForward.run();
        ndBackward.run();
        System.out.printf("%s: max |kiln - nd4j|: relu(y) %.2e, dKernel %.2e, dBias %.2e, dx %.2e (iArgs %s)%n", name,
                diff(y, org.nd4j.linalg.ops.transforms.Transforms.relu(ny, true)), diff(dKernel, ndKernel),
                diff(dBias, ndBias), diff(dx, ndx), Arrays.toString(iArgs));

        double kf = median(kilnForward, runs);
        double kw = median(kilnWeights, runs);
        double ki = median(kilnInput, runs);
        double kb = median(() -> {
            kilnWeights.run();
            kilnInput.run();
        }, runs);
        double nf = median(ndForward, runs);
        double nb = median(ndBackward, runs);
        double im = median(() -> ConvKernel.im2col(x, columns, oh, ow, k, k, 1, 1, 1, 1, 0, 0), runs);
        double mm = median(() -> Kernels.gemm(columns, kernel, y, false, false), runs);
        double bi = median(() -> Activations.biasForward(Activation.RELU, y, bias, y), runs);
        double ci = median(() -> ConvKernel.col2im(columns, dx, false, oh, ow, k, k, 1, 1, 1, 1, 0, 0), runs);
        System.out.printf("  parts: im2col %.2f, gemm %.2f (%.1f GFLOP/s), bias+relu %.2f, col2im %.2f%n", im, mm,
                2.0 * columns.length() * f / mm / 1e6, bi, ci);
        System.out.printf("  forward : kiln %7.2f   nd4j conv2d    %7.2f   kiln/nd4j %.2f%n", kf, nf, kf / nf);
        System.out.printf("  backward: kiln %7.2f   nd4j conv2d_bp %7.2f   kiln/nd4j %.2f"
                + "   (kiln: weights %.2f + input %.2f)%n", kb, nb, kb / nb, kw, ki);
        System.out.printf("  backward without the input's gradient (a first layer): kiln %.2f%n", kw);
    }

    private static void pooling(int batch, int h, int w, int c, int runs) {
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, w, c);
        INDArray y = Nd4j.create(DataType.FLOAT, batch, h / 2, w / 2, c);
        INDArray argmax = Nd4j.create(DataType.FLOAT, batch, h / 2, w / 2, c);
        INDArray dx = Nd4j.create(DataType.FLOAT, batch, h, w, c);
        double f = median(() -> PoolingKernel.maxForward(x, y, argmax, 2, 2, 2, 2, 0, 0), runs);
        double b = median(() -> PoolingKernel.maxBackward(y, argmax, dx, false, 2, 2, 2, 2, 0, 0), runs);
        System.out.printf("max pooling 2x2 of (%d, %d, %d, %d): forward %.2f, backward %.2f%n", batch, h, w, c, f, b);
    }

    private static double diff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static double median(Runnable r, int runs) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }
}
