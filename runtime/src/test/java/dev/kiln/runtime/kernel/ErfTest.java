package dev.kiln.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Erf} (the exact GELU's erf) against {@link ErfReference}, itself checked against published values. */
class ErfTest {
    @Test
    void referenceMatchesKnownValues() {
        // erf and erfc to 20 digits (mpmath, 30-digit arithmetic)
        double[][] erf = {
            {0.1, 0.1124629160182848984}, {0.5, 0.52049987781304653768}, {1, 0.84270079294971486934},
            {2, 0.99532226501895273416}, {3.5, 0.99999925690162765859}};
        for (double[] c : erf) {
            assertEquals(c[1], ErfReference.erf(c[0]), 1e-12 * c[1], "erf(" + c[0] + ")");
            assertEquals(-c[1], ErfReference.erf(-c[0]), 1e-12 * c[1], "erf(-" + c[0] + ")");
        }
        double[][] erfc = {{3, 2.2090496998585441373e-5}, {5, 1.5374597944280348502e-12}, {7, 4.1838256077794143986e-23}};
        for (double[] c : erfc) {
            assertEquals(c[1], ErfReference.erfc(c[0]), 1e-12 * c[1], "erfc(" + c[0] + ")");
        }
        assertEquals(0, ErfReference.erf(0));
    }

    @Test
    void erfMatchesReferenceEverywhere() {
        for (int i = -4000; i <= 4000; i++) {
            double x = i * 0.002; // [-8, 8] to 1e-14 relative (the series near 2.5 loses a few ulps to cancellation), across the series/continued-fraction switch at 2.5 and the cut-off at 6
            double want = ErfReference.erf(x);
            assertEquals(want, Erf.erf(x), 1e-14 * Math.max(Math.abs(want), 1e-3), "erf(" + x + ")");
        }
        for (double x : new double[] {1e-300, 1e-10, -1e-8, 2.4999999, 2.5, 2.5000001, 5.9999, 6, 6.0001, 30, -50}) {
            double want = ErfReference.erf(x);
            assertEquals(want, Erf.erf(x), 1e-14 * Math.abs(want), "erf(" + x + ")");
        }
    }

    @Test
    void oneMinusErfKeepsTheTailToDoubleRounding() {
        // the exact GELU uses 1 + erf(x / sqrt 2): absolute error must stay at the level of double rounding
        for (double x = 2.5; x < 6; x += 0.01) {
            assertEquals(ErfReference.erfc(x), 1 - Erf.erf(x), 3e-16, "1 - erf(" + x + ")");
        }
    }
}
