package dev.kiln.runtime.reference;

import dev.kiln.dsl.Activation;

/**
 * Keras's activation functions and their derivatives, written from their definitions in double precision, independent
 * of the runtime's fused kernels. Softmax, which is not element-wise, is {@link #softmax}.
 */
final class ActivationFunctions {
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double LEAKY_SLOPE = 0.2;

    private ActivationFunctions() {
    }

    static double apply(Activation f, double x) {
        return switch (f) {
            case LINEAR -> x;
            case RELU -> x > 0 ? x : 0;
            case SIGMOID -> sigmoid(x);
            case TANH -> Math.tanh(x);
            case ELU -> x > 0 ? x : Math.expm1(x);
            case SELU -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_APPROXIMATE -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SOFTPLUS -> Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case SWISH, SILU -> x * sigmoid(x);
            case LEAKY_RELU -> x > 0 ? x : LEAKY_SLOPE * x;
            case HARD_SIGMOID -> Math.min(Math.max(x + 3, 0), 6) / 6;
            case SOFTMAX -> throw new IllegalArgumentException("softmax is not element-wise");
        };
    }

    /** {@code f'(x)}. */
    static double derivative(Activation f, double x) {
        return switch (f) {
            case LINEAR -> 1;
            case RELU -> x > 0 ? 1 : 0;
            case SIGMOID -> sigmoid(x) * (1 - sigmoid(x));
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case ELU -> x > 0 ? 1 : Math.exp(x);
            case SELU -> SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
            case GELU -> 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case GELU_APPROXIMATE -> {
                double k = Math.sqrt(2 / Math.PI);
                double t = Math.tanh(k * (x + 0.044715 * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
            }
            case SOFTPLUS -> sigmoid(x);
            case SOFTSIGN -> 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x)));
            case SWISH, SILU -> sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x));
            case LEAKY_RELU -> x > 0 ? 1 : LEAKY_SLOPE;
            case HARD_SIGMOID -> x > -3 && x < 3 ? 1.0 / 6 : 0;
            case SOFTMAX -> throw new IllegalArgumentException("softmax is not element-wise");
        };
    }

    /** Softmax over each run of {@code width} consecutive values (the last axis). */
    static double[] softmax(double[] z, int width) {
        double[] y = new double[z.length];
        for (int row = 0; row < z.length; row += width) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, z[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                y[row + j] = Math.exp(z[row + j] - max);
                sum += y[row + j];
            }
            for (int j = 0; j < width; j++) {
                y[row + j] /= sum;
            }
        }
        return y;
    }

    /** {@code dz = J^T dy} for softmax rows, with the full Jacobian {@code J = diag(y) - y y^T}. */
    static double[] softmaxBackward(double[] y, double[] dy, int width) {
        double[] dz = new double[y.length];
        for (int row = 0; row < y.length; row += width) {
            for (int i = 0; i < width; i++) {
                double s = 0;
                for (int j = 0; j < width; j++) {
                    double jac = (i == j ? y[row + i] : 0) - y[row + i] * y[row + j];
                    s += jac * dy[row + j];
                }
                dz[row + i] = s;
            }
        }
        return dz;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The error function: its Maclaurin series near 0, the continued fraction of erfc in the tails. */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a < 2.5) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))), evaluated bottom-up
        double f = a;
        for (int k = 60; k >= 1; k--) {
            f = a + (k / 2.0) / f;
        }
        double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        return Math.signum(x) * (1 - erfc);
    }
}
