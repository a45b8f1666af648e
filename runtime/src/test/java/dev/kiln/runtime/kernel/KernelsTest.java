package dev.kiln.runtime.kernel;

import static dev.kiln.runtime.kernel.NdTesting.SENTINEL;
import static dev.kiln.runtime.kernel.NdTesting.array;
import static dev.kiln.runtime.kernel.NdTesting.roundToFloat;
import static dev.kiln.runtime.kernel.NdTesting.uniform;
import static dev.kiln.runtime.kernel.NdTesting.values;
import static dev.kiln.runtime.kernel.NdTesting.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link Kernels} and {@link Vec} on fresh arrays and on views inside larger buffers, against naive loops. */
class KernelsTest {
    enum Type {
        FLOAT32(DataType.FLOAT, 1e-5), FLOAT64(DataType.DOUBLE, 1e-13);

        final DataType type;
        final double tolerance;

        Type(DataType type, double tolerance) {
            this.type = type;
            this.tolerance = tolerance;
        }
    }

    /** {@code op(a) @ op(b)} by a triple loop over row-major {@code a} {@code (ra, ca)} and {@code b} {@code (rb, cb)}. */
    static double[] naive(double[] a, int ra, int ca, boolean ta, double[] b, int rb, int cb, boolean tb) {
        int m = ta ? ca : ra;
        int k = ta ? ra : ca;
        int n = tb ? rb : cb;
        assertEquals(k, tb ? cb : rb, "inner dimensions");
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * ca + i] : a[i * ca + p];
                    double y = tb ? b[j * cb + p] : b[p * cb + j];
                    s += x * y;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    static void assertClose(double[] want, double[] got, double tolerance, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(got[i] - want[i]) > tolerance * Math.max(1, Math.abs(want[i]))) {
                throw new AssertionError(what + " at " + i + ": expected " + want[i] + " but was " + got[i]);
            }
        }
    }

    /** The buffer around a view still holds the sentinel everywhere outside {@code [offset, offset + length)}. */
    static void assertUntouchedOutside(INDArray flat, int offset, int length, String what) {
        double[] all = values(flat);
        for (int i = 0; i < all.length; i++) {
            if ((i < offset || i >= offset + length) && all[i] != SENTINEL) {
                throw new AssertionError(what + ": wrote element " + i + " outside the view [" + offset + ", "
                        + (offset + length) + ")");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void gemmWithEveryTransposeOnOffsetViews(Type t) {
        int m = 5;
        int k = 7;
        int n = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                String what = t + " gemm transA=" + ta + " transB=" + tb;
                double[] a = roundToFloat(uniform(11, m * k, -1, 1));
                double[] b = roundToFloat(uniform(12, k * n, -1, 1));
                int ra = ta ? k : m;
                int ca = ta ? m : k;
                int rb = tb ? n : k;
                int cb = tb ? k : n;
                INDArray av = view(t.type, a, 3, null, ra, ca);
                INDArray bv = view(t.type, b, 17, null, rb, cb);
                INDArray[] flat = new INDArray[1];
                INDArray cv = view(t.type, new double[m * n], 9, flat, m, n);
                double[] want = naive(a, ra, ca, ta, b, rb, cb, tb);

                Kernels.gemm(av, bv, cv, ta, tb);
                assertClose(want, values(cv), t.tolerance, what);
                assertUntouchedOutside(flat[0], 9, m * n, what);
                assertArrayEquals(a, values(av), what + ": a untouched");

                double[] before = roundToFloat(uniform(13, m * n, -1, 1));
                INDArray acc = view(t.type, before, 9, flat, m, n);
                Kernels.gemmAccumulate(av, bv, acc, ta, tb);
                double[] summed = want.clone();
                for (int i = 0; i < summed.length; i++) {
                    summed[i] += before[i];
                }
                assertClose(summed, values(acc), t.tolerance, what + " accumulate");
                assertUntouchedOutside(flat[0], 9, m * n, what + " accumulate");
            }
        }
    }

    /**
     * GEMMs big enough to split ({@code m n k >= 2^20}) in stripes of columns (n >= m) and of rows (m > n), and a
     * single row (gemv) and column, in 2 and 3 parts with an uneven last stripe, every transpose, on offset views,
     * overwriting and accumulating: each must equal the whole product. Through {@link Blas} with a stripe count of the
     * test's choosing (the 3-part runs go stripe by stripe when the machine has fewer threads), and through
     * {@link Kernels#gemm} with the machine's own.
     */
    @ParameterizedTest
    @EnumSource(Type.class)
    void gemmInStripesEqualsTheWholeProduct(Type t) {
        int[][] shapes = {{40, 300, 200}, {200, 300, 37}, {1, 300, 200}, {300, 200, 1}}; // {m, k, n}
        double tolerance = t == Type.FLOAT32 ? 1e-4 : 1e-12;
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    double[] a = roundToFloat(uniform(31, m * k, -1, 1));
                    double[] b = roundToFloat(uniform(32, k * n, -1, 1));
                    int ra = ta ? k : m;
                    int ca = ta ? m : k;
                    int rb = tb ? n : k;
                    int cb = tb ? k : n;
                    INDArray av = view(t.type, a, 3, null, ra, ca);
                    INDArray bv = view(t.type, b, 5, null, rb, cb);
                    double[] want = naive(a, ra, ca, ta, b, rb, cb, tb);
                    double[] before = roundToFloat(uniform(33, m * n, -1, 1));
                    double[] summed = want.clone();
                    for (int i = 0; i < summed.length; i++) {
                        summed[i] += before[i];
                    }
                    for (int parts = 0; parts <= 3; parts++) {
                        String what = t + " " + m + "x" + k + "x" + n + " transA=" + ta + " transB=" + tb + " in "
                                + (parts == 0 ? "the machine's" : parts) + " parts";
                        INDArray[] flat = new INDArray[1];
                        INDArray cv = view(t.type, new double[m * n], 7, flat, m, n);
                        INDArray acc = view(t.type, before, 7, null, m, n);
                        if (parts == 0) {
                            Kernels.gemm(av, bv, cv, ta, tb);
                            Kernels.gemmAccumulate(av, bv, acc, ta, tb);
                        } else {
                            Blas.gemm(av, bv, cv, ta, tb, 0.0, parts);
                            Blas.gemm(av, bv, acc, ta, tb, 1.0, parts);
                        }
                        assertClose(want, values(cv), tolerance, what);
                        assertUntouchedOutside(flat[0], 7, m * n, what);
                        assertClose(summed, values(acc), tolerance, what + ", accumulating");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void gemmOnFreshArrays(Type t) {
        double[] a = roundToFloat(uniform(14, 6 * 4, -1, 1));
        double[] b = roundToFloat(uniform(15, 4 * 8, -1, 1));
        INDArray c = Nd4j.zeros(t.type, 6, 8);
        Kernels.gemm(array(t.type, a, 6, 4), array(t.type, b, 4, 8), c, false, false);
        assertClose(naive(a, 6, 4, false, b, 4, 8, false), values(c), t.tolerance, t + " gemm");
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void rank3ThroughMatrix(Type t) {
        // Dense over (batch, time, features): y = x @ W, dW = x^T @ dy, dx = dy @ W^T, all on views
        int batch = 2;
        int time = 3;
        int in = 5;
        int out = 4;
        double[] x = roundToFloat(uniform(16, batch * time * in, -1, 1));
        double[] w = roundToFloat(uniform(17, in * out, -1, 1));
        double[] dy = roundToFloat(uniform(18, batch * time * out, -1, 1));
        INDArray xv = view(t.type, x, 5, null, batch, time, in);
        INDArray wv = view(t.type, w, 2, null, in, out);
        INDArray dyv = view(t.type, dy, 7, null, batch, time, out);

        INDArray[] flat = new INDArray[1];
        INDArray yv = view(t.type, new double[batch * time * out], 4, flat, batch, time, out);
        Kernels.gemm(xv, wv, yv, false, false);
        assertClose(naive(x, batch * time, in, false, w, in, out, false), values(yv), t.tolerance, t + " y = x W");
        assertUntouchedOutside(flat[0], 4, batch * time * out, "y");
        assertArrayEquals(new long[] {batch * time, in}, Kernels.matrix(xv).shape());

        INDArray dw = view(t.type, new double[in * out], 6, flat, in, out);
        Kernels.gemm(xv, dyv, dw, true, false);
        assertClose(naive(x, batch * time, in, true, dy, batch * time, out, false), values(dw), t.tolerance, t + " dW");
        assertUntouchedOutside(flat[0], 6, in * out, "dW");

        INDArray dx = view(t.type, new double[batch * time * in], 1, flat, batch, time, in);
        Kernels.gemm(dyv, wv, dx, false, true);
        assertClose(naive(dy, batch * time, out, false, w, in, out, true), values(dx), t.tolerance, t + " dx");
        assertUntouchedOutside(flat[0], 1, batch * time * in, "dx");
    }

    @Test
    void matrixOfARank2ArrayIsItself() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 3, 4);
        assertTrue(Kernels.matrix(a) == a);
    }

    @Test
    void gemmRejectsAnOutputItCannotWriteInPlace() {
        // a rank-3 output that is not contiguous would be reshaped into a copy, and the product lost
        INDArray c = Nd4j.zeros(DataType.FLOAT, 3, 2, 4).permute(1, 0, 2);
        INDArray a = Nd4j.ones(DataType.FLOAT, 2, 3, 5);
        INDArray b = Nd4j.ones(DataType.FLOAT, 5, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.gemm(a, b, c, false, false));
        assertEquals("gemm views a rank-3 array as a matrix of its rows, which needs a contiguous C-ordered array, got "
                + "shape [2, 3, 4] strides [4, 8, 1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.gemmAccumulate(a, b, c, false, false));
        assertTrue(e.getMessage().contains("contiguous C-ordered"), e.getMessage());

        // columns 2..5 of a (3, 9) buffer: rows with gaps
        INDArray slice = Nd4j.zeros(DataType.FLOAT, 3, 9).get(NDArrayIndex.all(), NDArrayIndex.interval(2, 6));
        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(Nd4j.ones(DataType.FLOAT, 3, 5), b, slice, false, false));
        assertEquals("gemm writes into a contiguous array (C or F order), got shape [3, 4] strides [9, 1]", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void gemmReadsStridedInputsAndWritesFOrderOutputs(Type t) {
        double[] a = roundToFloat(uniform(27, 3 * 5, -1, 1));
        double[] b = roundToFloat(uniform(28, 5 * 4, -1, 1));
        double[] want = naive(a, 3, 5, false, b, 5, 4, false);
        INDArray wide = Nd4j.zeros(t.type, 3, 8);
        INDArray av = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 6)); // rows with gaps
        av.assign(array(t.type, a, 3, 5));
        INDArray cf = Nd4j.zeros(t.type, 4, 3).transpose(); // (3, 4) in F order
        Kernels.gemm(av, array(t.type, b, 5, 4).dup('f'), cf, false, false);
        assertClose(want, values(cf), t.tolerance, t + " strided a, F-order b and c");
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void addBiasBroadcastsAlongTheLastAxis(Type t) {
        double[] y = roundToFloat(uniform(19, 2 * 3 * 4, -1, 1));
        double[] b = roundToFloat(uniform(20, 4, -1, 1));
        for (long[] shape : new long[][] {{6, 4}, {2, 3, 4}}) {
            INDArray[] flat = new INDArray[1];
            INDArray yv = view(t.type, y, 3, flat, shape);
            Kernels.addBias(yv, view(t.type, b, 1, null, 4));
            double[] want = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                want[i] = y[i] + b[i % 4];
            }
            assertClose(want, values(yv), t.tolerance, t + " addBias " + Arrays.toString(shape));
            assertUntouchedOutside(flat[0], 3, y.length, "addBias");
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void biasGradientSumsEveryAxisButTheLast(Type t) {
        double[] dy = roundToFloat(uniform(21, 2 * 3 * 4, -1, 1));
        double[] want = new double[4];
        for (int i = 0; i < dy.length; i++) {
            want[i % 4] += dy[i];
        }
        for (long[] shape : new long[][] {{6, 4}, {2, 3, 4}}) {
            INDArray[] flat = new INDArray[1];
            INDArray db = view(t.type, new double[4], 2, flat, 4);
            Kernels.biasGradient(view(t.type, dy, 5, null, shape), db, false);
            assertClose(want, values(db), t.tolerance, t + " biasGradient " + Arrays.toString(shape));
            assertUntouchedOutside(flat[0], 2, 4, "biasGradient");
            Kernels.biasGradient(view(t.type, dy, 5, null, shape), db, true);
            assertClose(new double[] {2 * want[0], 2 * want[1], 2 * want[2], 2 * want[3]}, values(db), t.tolerance,
                    t + " biasGradient accumulate");
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void copyAndAccumulate(Type t) {
        double[] s = roundToFloat(uniform(22, 12, -1, 1));
        double[] d = roundToFloat(uniform(23, 12, -1, 1));
        INDArray[] flat = new INDArray[1];
        INDArray dst = view(t.type, d, 4, flat, 3, 4);
        Kernels.copy(view(t.type, s, 6, null, 3, 4), dst, true);
        double[] sum = new double[12];
        for (int i = 0; i < 12; i++) {
            sum[i] = s[i] + d[i];
        }
        assertClose(sum, values(dst), t.tolerance, "copy accumulate");
        Kernels.copy(view(t.type, s, 6, null, 3, 4), dst, false);
        assertArrayEquals(s, values(dst), "copy");
        assertUntouchedOutside(flat[0], 4, 12, "copy");
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void dropoutKeepsOneMinusRateAndScalesTheKept(Type t) {
        double rate = 0.3;
        int n = 200 * 100;
        double[] x = roundToFloat(uniform(24, n, 0.5, 2)); // never zero, so a dropped element shows as 0
        INDArray xv = array(t.type, x, 200, 100);
        INDArray[] maskFlat = new INDArray[1];
        INDArray mask = view(t.type, new double[n], 3, maskFlat, 200, 100);
        INDArray[] outFlat = new INDArray[1];
        INDArray y = view(t.type, new double[n], 8, outFlat, 200, 100);
        Kernels.dropout(xv, mask, y, rate, new SplittableRandom(42));
        double[] m = values(mask);
        double[] out = values(y);
        double scale = (t.type == DataType.FLOAT) ? (float) (1 / (1 - rate)) : 1 / (1 - rate);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(m[i] == 0 || m[i] == scale, "mask holds 0 or 1/(1-rate), got " + m[i]);
            if (m[i] != 0) {
                kept++;
                assertEquals(x[i] / (1 - rate), out[i], t.tolerance * out[i], "kept value scaled by 1/(1-rate)");
            } else {
                assertEquals(0, out[i], "dropped");
            }
        }
        // binomial(20000, 0.7): standard deviation 0.0032 of the fraction
        assertEquals(1 - rate, kept / (double) n, 0.015, "fraction kept");
        assertUntouchedOutside(maskFlat[0], 3, n, "mask");
        assertUntouchedOutside(outFlat[0], 8, n, "dropout output");

        INDArray again = Nd4j.zeros(t.type, 200, 100);
        Kernels.dropout(xv, Nd4j.zeros(t.type, 200, 100), again, rate, new SplittableRandom(42));
        assertArrayEquals(out, values(again), "same seed, same mask");

        INDArray all = Nd4j.zeros(t.type, 200, 100);
        Kernels.dropout(xv, Nd4j.zeros(t.type, 200, 100), all, 0, new SplittableRandom(1));
        assertArrayEquals(x, values(all), "rate 0 keeps everything unscaled");
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void multiplyIsDropoutsBackward(Type t) {
        double[] g = roundToFloat(uniform(25, 12, -1, 1));
        double[] m = {0, 2, 2, 0, 2, 0, 0, 0, 2, 2, 2, 0};
        double[] d = roundToFloat(uniform(26, 12, -1, 1));
        INDArray[] flat = new INDArray[1];
        INDArray dx = view(t.type, d, 2, flat, 3, 4);
        Kernels.multiply(view(t.type, g, 1, null, 3, 4), view(t.type, m, 5, null, 3, 4), dx, true);
        double[] want = new double[12];
        for (int i = 0; i < 12; i++) {
            want[i] = d[i] + g[i] * m[i];
        }
        assertClose(want, values(dx), t.tolerance, "multiply accumulate");
        Kernels.multiply(view(t.type, g, 1, null, 3, 4), view(t.type, m, 5, null, 3, 4), dx, false);
        for (int i = 0; i < 12; i++) {
            want[i] = g[i] * m[i];
        }
        assertClose(want, values(dx), t.tolerance, "multiply");
        assertUntouchedOutside(flat[0], 2, 12, "multiply");
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void vecReadsAndWritesTheViewsElements(Type t) {
        INDArray flat = Nd4j.arange(0, 60).castTo(t.type);
        INDArray v = flat.get(NDArrayIndex.interval(7, 19)).reshape('c', 3, 4);
        Vec vec = Vec.of(v);
        assertEquals(12, vec.length());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(v.getDouble(r, c), vec.get(r * 4 + c));
                assertEquals(7 + r * 4 + c, vec.get(r * 4 + c));
            }
        }
        vec.set(0, -1);
        vec.set(11, -2);
        assertEquals(-1, flat.getDouble(7));
        assertEquals(-2, flat.getDouble(18));
        assertEquals(6, flat.getDouble(6));
        assertEquals(19, flat.getDouble(19));

        // a view of a view, and the last rows of a batch buffer
        INDArray inner = flat.get(NDArrayIndex.interval(20, 50)).get(NDArrayIndex.interval(12, 24)).reshape('c', 2, 6);
        assertEquals(32, inner.offset());
        assertEquals(32, Vec.of(inner).get(0));
        assertEquals(43, Vec.of(inner).get(11));
        Vec.of(inner).set(5, 100);
        assertEquals(100, flat.getDouble(37));
        INDArray lastRows = flat.reshape('c', 10, 6).get(NDArrayIndex.interval(7, 10), NDArrayIndex.all())
                .get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertEquals(48, Vec.of(lastRows).get(0));
        assertEquals(59, Vec.of(lastRows).get(11));
        INDArray row = Nd4j.arange(0, 12).castTo(t.type).reshape('c', 3, 4).getRow(2);
        assertEquals(8, Vec.of(row).get(0));
        assertEquals(11, Vec.of(row).get(3));

        // rank 3 and its matrix view
        INDArray r3 = flat.get(NDArrayIndex.interval(30, 54)).reshape('c', 2, 3, 4);
        assertEquals(r3.getDouble(1, 2, 3), Vec.of(r3).get(23));
        assertEquals(r3.getDouble(1, 0, 1), Vec.of(Kernels.matrix(r3)).get(13));
    }

    @Test
    void vecRejectsNonContiguousArrays() {
        INDArray m = Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape('c', 3, 4);
        INDArray[] bad = {
            m.getColumn(1), // stride 4
            m.transpose(), // (4, 3) with strides (1, 4)
            Nd4j.zeros(DataType.FLOAT, 3, 4).dup('f'),
            m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)), // rows with gaps
            Nd4j.arange(0, 20).castTo(DataType.DOUBLE).get(NDArrayIndex.interval(0, 2, 20)), // every other element
        };
        for (INDArray a : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vec.of(a),
                    Arrays.toString(a.shape()) + " strides " + Arrays.toString(a.stride()));
            assertTrue(e.getMessage().contains("contiguous C-ordered") && e.getMessage().contains(Arrays.toString(a.shape()))
                    && e.getMessage().contains(Arrays.toString(a.stride())), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vec.of(Nd4j.zeros(DataType.INT, 3)));
        assertTrue(e.getMessage().contains("float32 or float64") && e.getMessage().contains("INT"), e.getMessage());

        // contiguous despite unit axes with any stride, and 'f' order vectors
        Vec.of(Nd4j.zeros(DataType.FLOAT, 1, 5).dup('f'));
        Vec.of(m.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all()));
    }

    @Test
    void kernelsRejectNonContiguousArraysWithTheMessage() {
        INDArray m = Nd4j.zeros(DataType.FLOAT, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.addBias(m.transpose(), Nd4j.zeros(DataType.FLOAT, 3)));
        assertTrue(e.getMessage().contains("contiguous"), e.getMessage());
    }
}
