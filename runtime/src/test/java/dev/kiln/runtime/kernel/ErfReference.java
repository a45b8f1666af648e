package dev.kiln.runtime.kernel;

/**
 * The error function by numerical integration, independent of {@link Erf}: {@code erf(x) = 2/sqrt(pi) * int_0^x
 * exp(-t^2) dt} and {@code erfc(a) = 2/sqrt(pi) * int_a^inf exp(-t^2) dt}, each by composite 24-point Gauss-Legendre
 * quadrature on panels of width 1/8, whose nodes are found here by Newton's method on the Legendre polynomial.
 */
final class ErfReference {
    private static final int POINTS = 24;
    private static final double PANEL = 0.125;
    private static final double[] NODES = new double[POINTS];
    private static final double[] WEIGHTS = new double[POINTS];

    static {
        for (int i = 0; i < POINTS; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (POINTS + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                // P_n(x) and P_n'(x) by the three-term recurrence
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= POINTS; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = POINTS * (x * p1 - p0) / (x * x - 1);
                double step = p1 / dp;
                x -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            NODES[i] = x;
            WEIGHTS[i] = 2 / ((1 - x * x) * dp * dp);
        }
    }

    private ErfReference() {
    }

    /** {@code int_a^b exp(-t^2) dt}. */
    static double integral(double a, double b) {
        int panels = Math.max(1, (int) Math.ceil((b - a) / PANEL));
        double h = (b - a) / panels;
        double sum = 0;
        for (int p = panels - 1; p >= 0; p--) { // smallest contributions first
            double mid = a + (p + 0.5) * h;
            double part = 0;
            for (int i = 0; i < POINTS; i++) {
                double t = mid + 0.5 * h * NODES[i];
                part += WEIGHTS[i] * Math.exp(-t * t);
            }
            sum += 0.5 * h * part;
        }
        return sum;
    }

    static double erf(double x) {
        double a = Math.abs(x);
        double v = a <= 3 ? 2 / Math.sqrt(Math.PI) * integral(0, a) : 1 - erfc(a);
        return Math.copySign(v, x);
    }

    static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x <= 0.5) {
            return 1 - erf(x);
        }
        // exp(-t^2) beyond x + 10 is below exp(-x^2) * exp(-100)
        return 2 / Math.sqrt(Math.PI) * integral(x, x + 10);
    }

    /** The standard normal CDF, {@code Phi(x) = erfc(-x / sqrt 2) / 2}, accurate in both tails. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }
}
