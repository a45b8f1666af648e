package dev.kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.LongToDoubleFunction;

/**
 * The tests' oracle: Keras 3's optimizer formulas (keras/src/optimizers/*.py, base_optimizer.py) written out as plain
 * double loops, one expression per line of Keras's {@code update_step}, independently of the optimizers under test.
 * Slots carry Keras's names.
 */
final class Reference {
    /** One optimizer's {@code update_step} over all variables at once. */
    interface Update {
        void apply(double[] w, double[] g, double lr, long iterations, Map<String, double[]> slots);
    }

    /** A rule: its slots (name to initial array, for {@code n} weights) and its update. */
    record Rule(IntFunction<Map<String, double[]>> slots, Update update) {
    }

    final double[] w;
    final Map<String, double[]> slots;
    long iterations;
    private final long[] sizes;
    private final Rule rule;
    private LongToDoubleFunction learningRate;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private Double weightDecay;

    Reference(Rule rule, double learningRate, double[] w, long[] sizes) {
        this.rule = rule;
        this.learningRate = step -> learningRate;
        this.w = w.clone();
        this.sizes = sizes;
        this.slots = rule.slots().apply(w.length);
    }

    Reference schedule(LongToDoubleFunction learningRate) {
        this.learningRate = learningRate;
        return this;
    }

    Reference clipnorm(double c) {
        clipnorm = c;
        return this;
    }

    Reference clipvalue(double c) {
        clipvalue = c;
        return this;
    }

    Reference globalClipnorm(double c) {
        globalClipnorm = c;
        return this;
    }

    Reference weightDecay(double wd) {
        weightDecay = wd;
        return this;
    }

    /** BaseOptimizer.apply: clip, weight decay, update_step, iterations += 1. */
    void step(double[] gradient) {
        double[] g = gradient.clone();
        double lr = learningRate.applyAsDouble(iterations);
        if (clipnorm != null) {
            int from = 0;
            for (long size : sizes) {
                double l2sum = 0;
                for (int i = from; i < from + size; i++) {
                    l2sum += g[i] * g[i];
                }
                double l2norm = Math.sqrt(l2sum);
                for (int i = from; i < from + size; i++) {
                    g[i] = g[i] * clipnorm / Math.max(l2norm, clipnorm);
                }
                from += (int) size;
            }
        } else if (globalClipnorm != null) {
            double squared = 0;
            for (double x : g) {
                squared += x * x;
            }
            double norm = Math.sqrt(squared);
            double scale = globalClipnorm * Math.min(1 / norm, 1 / globalClipnorm);
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        } else if (clipvalue != null) {
            for (int i = 0; i < g.length; i++) {
                g[i] = Math.min(Math.max(g[i], -clipvalue), clipvalue);
            }
        }
        if (weightDecay != null) {
            for (int i = 0; i < w.length; i++) {
                w[i] = w[i] - w[i] * weightDecay * lr;
            }
        }
        rule.update().apply(w, g, lr, iterations, slots);
        iterations++;
    }

    private static Map<String, double[]> zeros(int n, String... names) {
        Map<String, double[]> slots = new LinkedHashMap<>();
        for (String name : names) {
            slots.put(name, new double[n]);
        }
        return slots;
    }

    static Rule sgd(double momentum, boolean nesterov) {
        return new Rule(n -> momentum != 0 ? zeros(n, "momentum") : zeros(n), (w, g, lr, it, s) -> {
            if (momentum == 0) {
                for (int i = 0; i < w.length; i++) {
                    w[i] -= g[i] * lr;
                }
                return;
            }
            double[] m = s.get("momentum");
            for (int i = 0; i < w.length; i++) {
                m[i] = m[i] * momentum - g[i] * lr;
                w[i] += nesterov ? m[i] * momentum - g[i] * lr : m[i];
            }
        });
    }

    static Rule rmsprop(double rho, double momentum, double epsilon, boolean centered) {
        return new Rule(n -> {
            Map<String, double[]> s = zeros(n, "velocity");
            if (momentum > 0) {
                s.put("momentum", new double[n]);
            }
            if (centered) {
                s.put("average_gradient", new double[n]);
            }
            return s;
        }, (w, g, lr, it, s) -> {
            double[] velocity = s.get("velocity");
            for (int i = 0; i < w.length; i++) {
                velocity[i] = rho * velocity[i] + (1 - rho) * g[i] * g[i];
                double denominator;
                if (centered) {
                    double[] avg = s.get("average_gradient");
                    avg[i] = rho * avg[i] + (1 - rho) * g[i];
                    denominator = velocity[i] - avg[i] * avg[i] + epsilon;
                } else {
                    denominator = velocity[i] + epsilon;
                }
                double increment = lr * g[i] / Math.sqrt(denominator);
                if (momentum > 0) {
                    double[] mom = s.get("momentum");
                    mom[i] = momentum * mom[i] + increment;
                    w[i] -= mom[i];
                } else {
                    w[i] -= increment;
                }
            }
        });
    }

    static Rule adam(double beta1, double beta2, double epsilon, boolean amsgrad) {
        return new Rule(n -> amsgrad ? zeros(n, "momentum", "velocity", "velocity_hat") : zeros(n, "momentum",
                "velocity"), (w, g, lr, it, s) -> {
            double localStep = it + 1;
            double beta1Power = Math.pow(beta1, localStep);
            double beta2Power = Math.pow(beta2, localStep);
            double alpha = lr * Math.sqrt(1 - beta2Power) / (1 - beta1Power);
            double[] m = s.get("momentum");
            double[] v = s.get("velocity");
            for (int i = 0; i < w.length; i++) {
                m[i] += (g[i] - m[i]) * (1 - beta1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
                double vi = v[i];
                if (amsgrad) {
                    double[] vHat = s.get("velocity_hat");
                    vHat[i] = Math.max(vHat[i], v[i]);
                    vi = vHat[i];
                }
                w[i] -= m[i] * alpha / (Math.sqrt(vi) + epsilon);
            }
        });
    }

    static Rule adagrad(double initialAccumulatorValue, double epsilon) {
        return new Rule(n -> {
            double[] acc = new double[n];
            java.util.Arrays.fill(acc, initialAccumulatorValue);
            return new LinkedHashMap<>(Map.of("accumulator", acc));
        }, (w, g, lr, it, s) -> {
            double[] acc = s.get("accumulator");
            for (int i = 0; i < w.length; i++) {
                acc[i] += g[i] * g[i];
                w[i] -= lr * g[i] / Math.sqrt(acc[i] + epsilon);
            }
        });
    }

    static Rule adadelta(double rho, double epsilon) {
        return new Rule(n -> zeros(n, "accumulated_grad", "accumulated_delta_var"), (w, g, lr, it, s) -> {
            double[] accGrad = s.get("accumulated_grad");
            double[] accDelta = s.get("accumulated_delta_var");
            for (int i = 0; i < w.length; i++) {
                accGrad[i] = rho * accGrad[i] + (1 - rho) * g[i] * g[i];
                double deltaVar = -(Math.sqrt(accDelta[i] + epsilon) * g[i] / Math.sqrt(accGrad[i] + epsilon));
                accDelta[i] = rho * accDelta[i] + (1 - rho) * deltaVar * deltaVar;
                w[i] += lr * deltaVar;
            }
        });
    }

    static Rule adamax(double beta1, double beta2, double epsilon) {
        return new Rule(n -> zeros(n, "momentum", "norm"), (w, g, lr, it, s) -> {
            double beta1Power = Math.pow(beta1, it + 1);
            double[] m = s.get("momentum");
            double[] u = s.get("norm");
            for (int i = 0; i < w.length; i++) {
                m[i] += (g[i] - m[i]) * (1 - beta1);
                u[i] = Math.max(beta2 * u[i], Math.abs(g[i]));
                w[i] -= lr * m[i] / ((1 - beta1Power) * (u[i] + epsilon));
            }
        });
    }

    static Rule nadam(double beta1, double beta2, double epsilon) {
        return new Rule(n -> {
            Map<String, double[]> s = zeros(n, "momentum", "velocity");
            s.put("u_product", new double[] {1.0});
            return s;
        }, (w, g, lr, it, s) -> {
            double[] uProduct = s.get("u_product");
            uProduct[0] = uProduct[0] * beta1 * (1.0 - 0.5 * Math.pow(0.96, it + 1));
            double localStep = it + 1;
            double nextStep = it + 2;
            double uT = beta1 * (1.0 - 0.5 * Math.pow(0.96, localStep));
            double uT1 = beta1 * (1.0 - 0.5 * Math.pow(0.96, nextStep));
            double uProductT = uProduct[0];
            double uProductT1 = uProductT * uT1;
            double beta2Power = Math.pow(beta2, localStep);
            double[] m = s.get("momentum");
            double[] v = s.get("velocity");
            for (int i = 0; i < w.length; i++) {
                m[i] += (g[i] - m[i]) * (1 - beta1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
                double mHat = uT1 * m[i] / (1 - uProductT1) + (1 - uT) * g[i] / (1 - uProductT);
                double vHat = v[i] / (1 - beta2Power);
                w[i] -= mHat * lr / (Math.sqrt(vHat) + epsilon);
            }
        });
    }
}
