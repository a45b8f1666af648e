package dev.kiln.runtime.kernel;

import static dev.kiln.runtime.kernel.NdTesting.array;
import static dev.kiln.runtime.kernel.NdTesting.roundToFloat;
import static dev.kiln.runtime.kernel.NdTesting.uniform;
import static dev.kiln.runtime.kernel.NdTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.dsl.Activation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Activations} against double-precision references written here from Keras 3's formulas
 * ({@code keras/src/activations/activations.py}, {@code keras/src/backend/numpy/nn.py}), and its backward pass against
 * central finite differences of its own forward pass.
 */
class ActivationsTest {
    /** The float32 kernels' tanh through exp: within 1e-12 relative of Math.tanh from 1e-300 to saturation. */
    @Test
    void tanhViaExpMatchesTanhFarBelowFloatRounding() {
        double worst = 0;
        for (double mag = 1e-300; mag < 50; mag *= 1.001) {
            for (double x : new double[] {mag, -mag}) {
                double want = Math.tanh(x);
                double got = Activations.tanhViaExp(x);
                worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
            }
        }
        assertTrue(worst < 1e-12, "worst relative error " + worst);
        assertEquals(0.0, Activations.tanhViaExp(0.0));
        assertEquals(1.0, Activations.tanhViaExp(800));
        assertEquals(-1.0, Activations.tanhViaExp(-800));
        assertEquals(Activations.apply(Activation.SIGMOID, 0.3), Activations.applyFloat(Activation.SIGMOID, 0.3));
    }

    /** Keras's SELU constants, as written in {@code backend/numpy/nn.py}. */
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double EPS = 1e-6;

    /** ~200 points over [-10, 10], with 0, +-1e-3, the hard-sigmoid corners +-3 and the extremes +-50. */
    static double[] samples() {
        double[] grid = new double[199];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -10 + 20.0 * i / (grid.length - 1) + 0.0123; // off the kinks, except where listed below
        }
        double[] extra = {0, 1e-3, -1e-3, 3, -3, 50, -50, 10, -10, 1e-30, -1e-30, 0.5, -0.5}; // 212 in all
        double[] all = Arrays.copyOf(grid, grid.length + extra.length);
        System.arraycopy(extra, 0, all, grid.length, extra.length);
        return all;
    }

    /** Keras 3's element-wise activations, in double. */
    static double reference(Activation f, double x) {
        switch (f) {
            case LINEAR:
                return x;
            case RELU:
                return Math.max(x, 0);
            case SIGMOID:
                return 1 / (1 + Math.exp(-x));
            case TANH: {
                double e = Math.exp(-2 * Math.abs(x));
                return Math.copySign(-Math.expm1(-2 * Math.abs(x)) / (1 + e), x);
            }
            case ELU:
                return x >= 0 ? x : Math.expm1(x);
            case SELU:
                return SELU_SCALE * (x >= 0 ? x : SELU_ALPHA * Math.expm1(x));
            case GELU:
                return x * ErfReference.normalCdf(x); // x * (erf(x / sqrt 2) + 1) / 2
            case GELU_APPROXIMATE: {
                // keras.activations.gelu(x, approximate=True); tanh via exp as above, to stay off the kernel's path
                double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
                double e = Math.exp(-2 * Math.abs(u));
                return 0.5 * x * (1 + Math.copySign(-Math.expm1(-2 * Math.abs(u)) / (1 + e), u));
            }
            case SOFTPLUS:
                // logaddexp(x, 0)
                return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            case SOFTSIGN:
                return x / (1 + Math.abs(x));
            case SWISH:
            case SILU:
                return x / (1 + Math.exp(-x));
            case LEAKY_RELU:
                return Math.max(x, 0.2 * x);
            case HARD_SIGMOID: {
                double y = x / 6 + 0.5;
                return y <= 0 ? 0 : y >= 1 ? 1 : y;
            }
            default:
                throw new AssertionError(f);
        }
    }

    /** Softmax of each row of {@code width}, as {@code 1 / sum_k exp(z_k - z_j)}: no max shift, and no overflow. */
    static double[] referenceSoftmax(double[] z, int width) {
        double[] out = new double[z.length];
        for (int row = 0; row < z.length; row += width) {
            for (int j = 0; j < width; j++) {
                double s = 0;
                for (int k = 0; k < width; k++) {
                    s += Math.exp(z[row + k] - z[row + j]);
                }
                out[row + j] = 1 / s;
            }
        }
        return out;
    }

    /** float32 agreement: 1e-5 relative, or 1e-6 absolute for values below 0.1. */
    static void assertFloatClose(double want, double got, String what) {
        if (!(Math.abs(got - want) <= 1e-5 * Math.max(Math.abs(want), 0.1))) {
            fail(what + ": expected " + want + " but was " + got);
        }
    }

    /** Finite-difference agreement (STYLE.md, tightened to 1e-6): relative error, unless both are within 1e-8. */
    static void assertGradient(double numeric, double analytic, String what) {
        double diff = Math.abs(analytic - numeric);
        if (diff >= 1e-8 && diff / (Math.abs(analytic) + Math.abs(numeric)) > 1e-6) {
            fail(what + ": analytic " + analytic + " vs finite difference " + numeric);
        }
    }

    static boolean nearKink(Activation f, double x) {
        switch (f) {
            case RELU:
            case LEAKY_RELU:
            case SELU:
                return Math.abs(x) < 10 * EPS;
            case HARD_SIGMOID:
                return Math.abs(Math.abs(x) - 3) < 10 * EPS;
            default:
                return false;
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    void forwardFloat32MatchesKeras(Activation f) {
        double[] x = roundToFloat(samples());
        INDArray z = array(DataType.FLOAT, x, 4, x.length / 4);
        INDArray y = z.ulike();
        Activations.forward(f, z, y);
        double[] got = values(y);
        for (int i = 0; i < x.length; i++) {
            assertFloatClose(reference(f, x[i]), got[i], f + "(" + x[i] + ")");
        }
        assertTrue(Arrays.equals(x, values(z)), "input untouched");
        Activations.forward(f, z, z); // in place
        assertTrue(Arrays.equals(got, values(z)), f + " in place");
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    void forwardFloat64MatchesKerasToDoublePrecision(Activation f) {
        double[] x = samples();
        INDArray z = array(DataType.DOUBLE, x, x.length);
        INDArray y = z.ulike();
        Activations.forward(f, z, y);
        double[] got = values(y);
        for (int i = 0; i < x.length; i++) {
            double want = reference(f, x[i]);
            // GELU's 1 + erf(x / sqrt 2) cancels in the left tail, as Keras's own formula does: absolute 1e-14 there
            if (Math.abs(got[i] - want) > 1e-13 * Math.abs(want) + 1e-14) {
                fail(f + "(" + x[i] + "): expected " + want + " but was " + got[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void biasForwardMatchesKeras(Activation f) {
        int width = 6;
        double[] x = roundToFloat(uniform(1, 4 * 5 * width, -6, 6));
        double[] b = roundToFloat(uniform(2, width, -2, 2));
        double[] shifted = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            shifted[i] = x[i] + b[i % width];
        }
        double[] want = new double[x.length];
        if (f == Activation.SOFTMAX) {
            want = referenceSoftmax(shifted, width);
        } else {
            for (int i = 0; i < x.length; i++) {
                want[i] = reference(f, shifted[i]);
            }
        }
        INDArray bias = array(DataType.FLOAT, b, width);
        for (long[] shape : new long[][] {{20, width}, {4, 5, width}}) {
            INDArray z = array(DataType.FLOAT, x, shape);
            INDArray y = z.ulike();
            Activations.biasForward(f, z, bias, y);
            double[] got = values(y);
            for (int i = 0; i < x.length; i++) {
                assertFloatClose(want[i], got[i], f + "(" + x[i] + " + " + b[i % width] + ") " + Arrays.toString(shape));
            }
            Activations.biasForward(f, z, bias, z); // in place
            assertTrue(Arrays.equals(got, values(z)), f + " in place");
        }
    }

    /** Keras's {@code gelu(x, approximate=True)} formula evaluated with Python's math module, at a few points. */
    @Test
    void geluApproximateMatchesPyTorchValues() {
        double[][] pinned = {{1, 0.8411919906082768}, {-1, -0.15880800939172324}, {2, 1.954597694087775},
            {-3, -0.0036373920817729943}, {0.5, 0.34571400982514394}};
        for (double[] p : pinned) {
            assertEquals(p[1], Activations.apply(Activation.GELU_APPROXIMATE, p[0]), 1e-12, "gelu_approximate(" + p[0] + ")");
            assertNotEquals(Activations.apply(Activation.GELU, p[0]), p[1], 1e-6, "the exact GELU differs at " + p[0]);
        }
    }

    @Test
    void softmaxAlongTheLastAxisOfRank2And3() {
        int width = 7;
        double[] z = roundToFloat(uniform(3, 2 * 3 * width, -8, 8));
        // large logits: exp would overflow float32 (and double for 1000) without a shift
        z[0] = 1000;
        z[1] = 999;
        z[2] = -1000;
        z[width] = 100;
        z[width + 1] = 100;
        z[2 * width] = -100; // a row of very negative logits
        for (int j = 1; j < width; j++) {
            z[2 * width + j] = -100 - j;
        }
        double[] want = referenceSoftmax(z, width);
        for (long[] shape : new long[][] {{6, width}, {2, 3, width}}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                INDArray in = array(type, z, shape);
                INDArray out = in.ulike();
                Activations.forward(Activation.SOFTMAX, in, out);
                double[] got = values(out);
                for (int i = 0; i < z.length; i++) {
                    assertFloatClose(want[i], got[i], "softmax " + type + " " + Arrays.toString(shape) + " element " + i);
                }
                for (int row = 0; row < 6; row++) {
                    double sum = 0;
                    for (int j = 0; j < width; j++) {
                        sum += got[row * width + j];
                    }
                    assertEquals(1, sum, 1e-6, "row " + row + " sums to 1");
                }
            }
        }
    }

    @Test
    void softmaxOfOneWideAxisIsOne() {
        INDArray z = array(DataType.FLOAT, new double[] {-3, 0, 50}, 3, 1);
        INDArray y = z.ulike();
        Activations.forward(Activation.SOFTMAX, z, y);
        assertTrue(Arrays.equals(new double[] {1, 1, 1}, values(y)));
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    void backwardMatchesFiniteDifferences(Activation f) {
        double[] x = samples();
        int n = x.length;
        double[] plus = new double[n];
        double[] minus = new double[n];
        for (int i = 0; i < n; i++) {
            plus[i] = x[i] + EPS;
            minus[i] = x[i] - EPS;
        }
        double[] fPlus = forward64(f, plus);
        double[] fMinus = forward64(f, minus);
        double[] upstream = uniform(4, n, -2, 2);

        INDArray z = array(DataType.DOUBLE, x, n);
        INDArray y = z.ulike();
        Activations.forward(f, z, y);
        INDArray dy = array(DataType.DOUBLE, upstream, n);
        INDArray dz = z.ulike();
        // functions whose derivative comes from y alone must not need z
        Activations.backward(f, Activations.needsInput(f) ? z : null, y, dy, dz, false);
        double[] analytic = values(dz);
        for (int i = 0; i < n; i++) {
            if (nearKink(f, x[i])) {
                continue;
            }
            double numeric = upstream[i] * (fPlus[i] - fMinus[i]) / (2 * EPS);
            assertGradient(numeric, analytic[i], f + "'(" + x[i] + ")");
        }

        // accumulate adds into what is there
        double[] before = uniform(5, n, -1, 1);
        INDArray acc = array(DataType.DOUBLE, before, n);
        Activations.backward(f, z, y, dy, acc, true);
        double[] summed = values(acc);
        for (int i = 0; i < n; i++) {
            assertEquals(before[i] + analytic[i], summed[i], 1e-15 * (1 + Math.abs(summed[i])), f + " accumulate at " + i);
        }

        // dz may be dy
        Activations.backward(f, z, y, dy, dy, false);
        assertTrue(Arrays.equals(analytic, values(dy)), f + " backward in place");
    }

    @Test
    void softmaxBackwardIsTheJacobianVectorProduct() {
        int width = 5;
        double[] z = uniform(6, 2 * 3 * width, -4, 4);
        double[] upstream = uniform(7, z.length, -2, 2);
        for (long[] shape : new long[][] {{6, width}, {2, 3, width}}) {
            INDArray in = array(DataType.DOUBLE, z, shape);
            INDArray y = in.ulike();
            Activations.forward(Activation.SOFTMAX, in, y);
            INDArray dy = array(DataType.DOUBLE, upstream, shape);
            INDArray dz = in.ulike();
            Activations.backward(Activation.SOFTMAX, null, y, dy, dz, false);
            double[] analytic = values(dz);
            for (int i = 0; i < z.length; i++) {
                // d/dz_i of sum_k dy_k softmax(z)_k
                double[] p = z.clone();
                double[] m = z.clone();
                p[i] += EPS;
                m[i] -= EPS;
                double numeric = (dot(upstream, forward64(Activation.SOFTMAX, p, shape))
                        - dot(upstream, forward64(Activation.SOFTMAX, m, shape))) / (2 * EPS);
                assertGradient(numeric, analytic[i], "softmax JVP " + Arrays.toString(shape) + " at " + i);
            }
            double[] before = uniform(8, z.length, -1, 1);
            INDArray acc = array(DataType.DOUBLE, before, shape);
            Activations.backward(Activation.SOFTMAX, null, y, dy, acc, true);
            double[] summed = values(acc);
            for (int i = 0; i < z.length; i++) {
                assertEquals(before[i] + analytic[i], summed[i], 1e-15, "softmax accumulate at " + i);
            }
        }
    }

    @Test
    void float32BackwardAgreesWithFloat64() {
        double[] x = roundToFloat(samples());
        double[] upstream = roundToFloat(uniform(9, x.length, -2, 2));
        for (Activation f : Activation.values()) {
            long[] shape = f == Activation.SOFTMAX ? new long[] {x.length / 4, 4} : new long[] {x.length};
            double[] xs = f == Activation.SOFTMAX ? Arrays.copyOf(x, (x.length / 4) * 4) : x;
            double[] g = Arrays.copyOf(upstream, xs.length);
            double[] want = backward(f, DataType.DOUBLE, xs, g, shape);
            double[] got = backward(f, DataType.FLOAT, xs, g, shape);
            for (int i = 0; i < xs.length; i++) {
                // float32 y = f(z) carries 6e-8 relative error into f'(y); SOFTSIGN's 1 - |y| amplifies it for large |z|
                double tol = f == Activation.SOFTSIGN ? 1e-5 * (1 + Math.abs(xs[i])) : 1e-5;
                if (Math.abs(got[i] - want[i]) > tol * Math.max(Math.abs(want[i]), 0.1)) {
                    fail(f + " float32 backward at " + xs[i] + ": " + got[i] + " vs float64 " + want[i]);
                }
            }
        }
    }

    private static double[] backward(Activation f, DataType type, double[] x, double[] g, long[] shape) {
        INDArray z = array(type, x, shape);
        INDArray y = z.ulike();
        Activations.forward(f, z, y);
        INDArray dz = z.ulike();
        Activations.backward(f, z, y, array(type, g, shape), dz, false);
        return values(dz);
    }

    private static double[] forward64(Activation f, double[] x, long... shape) {
        INDArray z = array(DataType.DOUBLE, x, shape.length == 0 ? new long[] {x.length} : shape);
        INDArray y = z.ulike();
        Activations.forward(f, z, y);
        return values(y);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
