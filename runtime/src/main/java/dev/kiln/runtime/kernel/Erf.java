package dev.kiln.runtime.kernel;

/**
 * The error function to double precision, for the exact GELU (Keras's default {@code approximate=False}). A Taylor
 * series near zero and a continued fraction for {@code erfc} in the tails, each used where it converges fast.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;

    private Erf() {
    }

    static double erf(double x) {
        double a = Math.abs(x);
        if (a < 2.5) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        if (a > 6) {
            return Math.signum(x);
        }
        // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))), evaluated bottom-up
        double f = a;
        for (int k = 60; k >= 1; k--) {
            f = a + (k / 2.0) / f;
        }
        double erfc = Math.exp(-a * a) / (f * Math.sqrt(Math.PI));
        return Math.signum(x) * (1 - erfc);
    }
}
