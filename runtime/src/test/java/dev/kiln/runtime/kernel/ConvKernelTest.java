package dev.kiln.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * im2col + gemm and gemm + col2im against ND4J's own {@code conv2d} and {@code conv2d_bp} (TensorFlow's same padding
 * in its same mode), in float32 (the heap fast path) and float64: an oracle written by others. The dilated cases run in
 * float64, since ND4J's float32 conv2d (oneDNN) fails on dilations ("could not create a descriptor for a dilated
 * convolution"); Conv2DLayerTest checks Kiln's float32 path on them against its float64 one.
 */
class ConvKernelTest {
    @ParameterizedTest
    @CsvSource({
        "7, 6, 3, 3, 2, 2, 1, 1, 1, true, FLOAT",
        "8, 8, 2, 2, 2, 1, 1, 1, 1, true, FLOAT",
        "9, 9, 1, 3, 3, 1, 1, 2, 2, false, DOUBLE", // oneDNN's float32 conv2d refuses dilations in ND4J M2.1
        "9, 8, 2, 3, 2, 1, 1, 2, 1, true, DOUBLE",
        "6, 7, 2, 3, 3, 2, 2, 1, 1, false, DOUBLE"})
    void matchesNd4jConv2d(int h, int w, int c, int kh, int kw, int sh, int sw, int dh, int dw, boolean same,
            DataType type) {
        int batch = 3;
        int f = 4;
        int oh = same ? (h + sh - 1) / sh : (h - (kh - 1) * dh - 1) / sh + 1;
        int ow = same ? (w + sw - 1) / sw : (w - (kw - 1) * dw - 1) / sw + 1;
        int top = same ? Math.max((oh - 1) * sh + (kh - 1) * dh + 1 - h, 0) / 2 : 0;
        int left = same ? Math.max((ow - 1) * sw + (kw - 1) * dw + 1 - w, 0) / 2 : 0;
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(type, batch, h, w, c).subi(0.5);
        INDArray kernel = Nd4j.rand(type, kh, kw, c, f).subi(0.5);
        INDArray bias = Nd4j.zeros(type, f);
        INDArray dy = Nd4j.rand(type, batch, oh, ow, f).subi(0.5);

        INDArray columns = Nd4j.create(type, batch, (long) oh * ow, (long) kh * kw * c);
        INDArray y = Nd4j.create(type, batch, oh, ow, f);
        ConvKernel.im2col(x, columns, oh, ow, kh, kw, sh, sw, dh, dw, top, left);
        Kernels.gemm(columns, kernel, y, false, false);
        INDArray dx = Nd4j.create(type, batch, h, w, c);
        Kernels.gemm(dy, kernel, columns, false, true);
        ConvKernel.col2im(columns, dx, false, oh, ow, kh, kw, sh, sw, dh, dw, top, left);

        Conv2DConfig config = Conv2DConfig.builder().kH(kh).kW(kw).sH(sh).sW(sw).pH(0).pW(0).dH(dh).dW(dw)
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NHWC")
                .weightsFormat(WeightsFormat.YXIO).build();
        INDArray expectedY = Nd4j.create(type, batch, oh, ow, f);
        Conv2D op = new Conv2D(new INDArray[] {x, kernel, bias}, new INDArray[] {expectedY}, config);
        Nd4j.getExecutioner().exec(op);
        INDArray expectedDx = Nd4j.create(type, batch, h, w, c);
        Nd4j.getExecutioner().exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, kernel, bias, dy)
                .addOutputs(expectedDx, Nd4j.create(type, kh, kw, c, f), Nd4j.create(type, f))
                .addIntegerArguments(Arrays.stream(op.iArgs()).mapToInt(v -> (int) v).toArray()).build());

        double eps = type == DataType.FLOAT ? 1e-5 : 1e-12;
        assertTrue(expectedY.equalsWithEps(y, eps), () -> "y\n" + y + "\nvs nd4j\n" + expectedY);
        assertTrue(expectedDx.equalsWithEps(dx, eps), () -> "dx\n" + dx + "\nvs nd4j\n" + expectedDx);
    }
}
