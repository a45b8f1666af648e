package dev.kiln.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused backward of a Dense layer's activation and bias ({@code dy *= f'(.)} in place, column sums into the bias
 * gradient) agrees with the two separate kernels, in float32 (the fast ReLU path included) and float64.
 */
class BackwardWithBiasTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void matchesBackwardThenColumnSums(Activation f) {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            SplittableRandom r = new SplittableRandom(f.ordinal());
            INDArray z = random(r, t, 6, 9);
            INDArray y = z.ulike();
            Activations.forward(f, z, y);
            INDArray dy = random(r, t, 6, 9);
            INDArray expectedDz = dy.ulike();
            Activations.backward(f, z, y, dy, expectedDz, false);
            INDArray expectedBias = Nd4j.create(t, 9);
            Kernels.biasGradient(expectedDz, expectedBias, false);

            INDArray bias = Nd4j.create(t, 9).assign(0.5);
            Activations.backwardWithBias(f, z, y, dy, bias, true);
            assertClose(expectedDz, dy, f + " " + t + " dz");
            assertClose(expectedBias.add(0.5), bias, f + " " + t + " bias gradient (accumulated)");
        }
    }

    /** The vectorized ReLU mask is exactly 0 or 1: zero outputs, the smallest positive float and huge ones. */
    @Test
    void reluMaskIsExactAtTheEdges() {
        INDArray y = Nd4j.createFromArray(new float[] {0f, Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 3e38f, 0f})
                .reshape(1, 6);
        INDArray dy = Nd4j.createFromArray(new float[] {2f, 3f, -4f, 5f, 6f, -7f}).reshape(1, 6);
        INDArray bias = Nd4j.create(DataType.FLOAT, 6);
        Activations.backwardWithBias(Activation.RELU, null, y, dy, bias, false);
        float[] got = dy.toFloatVector();
        float[] want = {0f, 3f, -4f, 5f, 6f, 0f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 0f, "element " + i);
            assertEquals(want[i], bias.getFloat(i), 0f, "bias " + i);
        }
    }

    private static INDArray random(SplittableRandom r, DataType t, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-3, 3);
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE).castTo(t);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double[] e = expected.reshape(expected.length()).castTo(DataType.DOUBLE).toDoubleVector();
        double[] a = actual.reshape(actual.length()).castTo(DataType.DOUBLE).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-6 * Math.max(1, Math.abs(e[i])), what + " at " + i);
        }
    }
}
