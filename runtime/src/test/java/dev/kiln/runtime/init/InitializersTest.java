package dev.kiln.runtime.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Initializer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Initializers} against Keras 3's variance scaling ({@code keras/src/initializers/random_initializers.py}):
 * {@code scale / n} with {@code n} from {@code compute_fans}; uniform on {@code +-sqrt(3 * scale / n)}; a normal of
 * standard deviation {@code sqrt(scale / n) / 0.8796...} truncated at two of those standard deviations.
 */
class InitializersTest {
    private static final long[] KERNEL = {400, 300};

    enum Family {
        GLOROT_UNIFORM(true), GLOROT_NORMAL(false), HE_UNIFORM(true), HE_NORMAL(false), LECUN_UNIFORM(true),
        LECUN_NORMAL(false);

        final boolean uniform;

        Family(boolean uniform) {
            this.uniform = uniform;
        }

        Initializer init() {
            return Initializer.valueOf(name());
        }

        /** Keras's target variance, {@code scale / n}. */
        double variance(double fanIn, double fanOut) {
            if (name().startsWith("GLOROT")) {
                return 2 / (fanIn + fanOut); // scale 1, mode fan_avg
            }
            if (name().startsWith("HE")) {
                return 2 / fanIn; // scale 2, mode fan_in
            }
            return 1 / fanIn; // lecun: scale 1, mode fan_in
        }
    }

    /** The standard deviation of a unit normal truncated to (-2, 2), from Phi and phi (here by integration). */
    static double truncatedUnitStd() {
        // Var = 1 - 2 * 2 phi(2) / (2 Phi(2) - 1); 2 Phi(2) - 1 = erf(sqrt 2) by Simpson's rule on phi
        int n = 20000;
        double h = 2.0 / n;
        double area = 0;
        for (int i = 0; i <= n; i++) {
            double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            area += w * phi(i * h);
        }
        area *= h / 3 * 2; // over (-2, 2)
        return Math.sqrt(1 - 4 * phi(2) / area);
    }

    static double phi(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double fractionWithin(double[] v, double bound) {
        int k = 0;
        for (double x : v) {
            if (Math.abs(x) < bound) {
                k++;
            }
        }
        return k / (double) v.length;
    }

    static void checkDistribution(Family f, double[] v, double fanIn, double fanOut, String what) {
        double target = f.variance(fanIn, fanOut);
        double sd = Math.sqrt(target);
        assertEquals(0, mean(v), 5 * sd / Math.sqrt(v.length), what + ": mean");
        assertEquals(target, variance(v), 0.03 * target, what + ": variance");
        if (f.uniform) {
            double limit = Math.sqrt(3 * target);
            assertTrue(maxAbs(v) <= limit, what + ": |value| <= limit " + limit + ", max " + maxAbs(v));
            assertTrue(maxAbs(v) > 0.995 * limit, what + ": values reach the limit " + limit + ", max " + maxAbs(v));
            assertEquals(0.5, fractionWithin(v, limit / 2), 0.02, what + ": uniform, half within limit/2");
        } else {
            double untruncated = sd / 0.87962566103423978;
            assertTrue(maxAbs(v) < 2 * untruncated, what + ": truncated at 2 stddev " + 2 * untruncated + ", max " + maxAbs(v));
            assertTrue(maxAbs(v) > 0.99 * 2 * untruncated, what + ": values reach 2 stddev");
            // P(|z| < 1 | |z| < 2) = erf(1/sqrt2) / erf(sqrt2) = 0.6827 / 0.9545
            assertEquals(0.682689492 / 0.954499736, fractionWithin(v, untruncated), 0.02, what + ": normal shape");
        }
    }

    @Test
    void kerasTruncatedNormalConstant() {
        assertEquals(0.87962566103423978, truncatedUnitStd(), 1e-9);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void denseKernelHasKerasVarianceAndBounds(Family f) {
        double[] v = Initializers.draw(f.init(), KERNEL, new SplittableRandom(7));
        assertEquals(400 * 300, v.length);
        checkDistribution(f, v, 400, 300, f + " (400, 300)");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void convKernelFansUseTheReceptiveField(Family f) {
        // Keras compute_fans for (kh, kw, in, out) = (5, 5, 32, 64): receptive field 25, fan_in 800, fan_out 1600
        double[] v = Initializers.draw(f.init(), new long[] {5, 5, 32, 64}, new SplittableRandom(8));
        checkDistribution(f, v, 800, 1600, f + " (5, 5, 32, 64)");
        // Conv1D (k, in, out) = (3, 100, 200): fan_in 300, fan_out 600
        v = Initializers.draw(f.init(), new long[] {3, 100, 200}, new SplittableRandom(9));
        checkDistribution(f, v, 300, 600, f + " (3, 100, 200)");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void vectorFansAreItsLength(Family f) {
        double[] v = Initializers.draw(f.init(), new long[] {50000}, new SplittableRandom(10));
        checkDistribution(f, v, 50000, 50000, f + " (50000)");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void scalarFansAreOne(Family f) {
        // Keras: a shape of rank 0 has fan_in = fan_out = 1
        double[] v = Initializers.draw(f.init(), new long[0], new SplittableRandom(11));
        assertEquals(1, v.length);
        double limit = f.uniform ? Math.sqrt(3 * f.variance(1, 1)) : 2 * Math.sqrt(f.variance(1, 1)) / 0.87962566103423978;
        assertTrue(Math.abs(v[0]) <= limit, f + " scalar " + v[0]);
    }

    @Test
    void orthogonalNeedsAMatrix() {
        // Keras raises for a shape of rank < 2
        for (long[] shape : new long[][] {{}, {5}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Initializers.draw(Initializer.ORTHOGONAL, shape, new SplittableRandom(1)));
            assertEquals("the orthogonal initializer needs a shape of rank 2 or more, got " + Arrays.toString(shape),
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Initializer.class)
    void sameSeedSameValuesOtherSeedOtherValues(Initializer init) {
        double[] a = Initializers.draw(init, new long[] {30, 20}, new SplittableRandom(123));
        double[] b = Initializers.draw(init, new long[] {30, 20}, new SplittableRandom(123));
        assertArrayEquals(a, b);
        if (init != Initializer.ZEROS && init != Initializer.ONES) {
            assertFalse(Arrays.equals(a, Initializers.draw(init, new long[] {30, 20}, new SplittableRandom(124))));
        }
    }

    @Test
    void zerosAndOnesAreExact() {
        for (long[] shape : new long[][] {{7}, {3, 4}, {2, 3, 4, 5}}) {
            double[] z = Initializers.draw(Initializer.ZEROS, shape, new SplittableRandom(1));
            double[] o = Initializers.draw(Initializer.ONES, shape, new SplittableRandom(1));
            long n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            assertEquals(n, z.length);
            assertEquals(n, o.length);
            for (int i = 0; i < n; i++) {
                assertEquals(0.0, z[i]);
                assertEquals(1.0, o[i]);
            }
        }
    }

    /** {@code Q^T Q} for the columns of a row-major {@code (rows, cols)} matrix, less the identity: the largest entry. */
    static double orthonormalityError(double[] q, int rows, int cols, boolean columns) {
        int k = columns ? cols : rows;
        int len = columns ? rows : cols;
        double worst = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    double x = columns ? q[i * cols + a] : q[a * cols + i];
                    double y = columns ? q[i * cols + b] : q[b * cols + i];
                    dot += x * y;
                }
                worst = Math.max(worst, Math.abs(dot - (a == b ? 1 : 0)));
            }
        }
        return worst;
    }

    @Test
    void orthogonalIsOrthonormalAlongItsShorterSide() {
        double[] tall = Initializers.draw(Initializer.ORTHOGONAL, new long[] {400, 300}, new SplittableRandom(3));
        assertTrue(orthonormalityError(tall, 400, 300, true) < 1e-12, "Q^T Q = I for (400, 300)");
        double[] wide = Initializers.draw(Initializer.ORTHOGONAL, new long[] {300, 400}, new SplittableRandom(3));
        assertTrue(orthonormalityError(wide, 300, 400, false) < 1e-12, "Q Q^T = I for (300, 400)");
        double[] square = Initializers.draw(Initializer.ORTHOGONAL, new long[] {64, 64}, new SplittableRandom(4));
        assertTrue(orthonormalityError(square, 64, 64, true) < 1e-12, "square: columns");
        assertTrue(orthonormalityError(square, 64, 64, false) < 1e-12, "square: rows");
        // an LSTM's recurrent kernel (units, 4 * units): orthonormal rows
        double[] lstm = Initializers.draw(Initializer.ORTHOGONAL, new long[] {32, 128}, new SplittableRandom(5));
        assertTrue(orthonormalityError(lstm, 32, 128, false) < 1e-12, "Q Q^T = I for (32, 128)");
        // rank 4: a matrix (3 * 3 * 16, 32) of the leading axes by the last, as Keras flattens it
        double[] conv = Initializers.draw(Initializer.ORTHOGONAL, new long[] {3, 3, 16, 32}, new SplittableRandom(6));
        assertTrue(orthonormalityError(conv, 144, 32, true) < 1e-12, "(3, 3, 16, 32) as (144, 32)");
        double[] convWide = Initializers.draw(Initializer.ORTHOGONAL, new long[] {3, 3, 4, 64}, new SplittableRandom(6));
        assertTrue(orthonormalityError(convWide, 36, 64, false) < 1e-12, "(3, 3, 4, 64) as (36, 64)");
    }

    @Test
    void orthogonalIsNotBiased() {
        // a Haar-random orthogonal matrix: entries of mean 0 and variance 1 / 400 (each column has unit norm);
        // the sign of every column is random (Keras multiplies Q by the signs of R's diagonal)
        double[] q = Initializers.draw(Initializer.ORTHOGONAL, new long[] {400, 300}, new SplittableRandom(12));
        assertEquals(0, mean(q), 5 * Math.sqrt(1.0 / 400 / q.length));
        int positiveFirst = 0;
        for (int c = 0; c < 300; c++) {
            if (q[c] > 0) {
                positiveFirst++;
            }
        }
        assertEquals(150, positiveFirst, 40, "first row's signs");
    }
}
