package dev.kiln.runtime.reference;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference gradient checks for a model in float64: central differences with {@code eps = 1e-6} on sampled
 * weights of every variable, compared with the model's own backward pass. An entry fails when
 * {@code |a - n| / (|a| + |n|) > tolerance} unless {@code |a - n| < 1e-8}.
 */
public final class GradientCheck {
    private static final double EPS = 1e-6;
    private static final double ABSOLUTE = 1e-8;

    /** One compared entry. */
    public record Entry(String variable, long index, double analytic, double numeric, double relativeError) {
    }

    /** The outcome: the worst relative error over all compared entries, and those above the tolerance. */
    public record Result(int compared, double maxRelativeError, List<Entry> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private GradientCheck() {
    }

    /**
     * Checks up to {@code perVariable} entries of each variable (all of a small one), with dropout replayed by one
     * seed so that every evaluation sees the same mask.
     */
    public static Result check(KilnModel model, INDArray[] inputs, INDArray[] targets, int perVariable,
            double tolerance, long seed) {
        if (model.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks need a float64 model: create(seed, DataType.DOUBLE)");
        }
        model.reseed(seed);
        model.computeGradients(inputs, targets, true);
        INDArray analytic = model.gradientBuffer().dup();
        INDArray params = model.parameterBuffer();
        SplittableRandom random = new SplittableRandom(seed);
        List<Entry> failures = new ArrayList<>();
        double worst = 0;
        int compared = 0;
        long offset = 0;
        for (VariableSpec v : model.spec().variables()) {
            long n = v.length();
            if (v.trainable()) {
                for (long k : sample(n, perVariable, random)) {
                    long i = offset + k;
                    double original = params.getDouble(i);
                    params.putScalar(i, original + EPS);
                    double plus = loss(model, inputs, targets, seed);
                    params.putScalar(i, original - EPS);
                    double minus = loss(model, inputs, targets, seed);
                    params.putScalar(i, original);
                    double num = (plus - minus) / (2 * EPS);
                    double a = analytic.getDouble(i);
                    double diff = Math.abs(a - num);
                    double rel = diff == 0 ? 0 : diff / (Math.abs(a) + Math.abs(num));
                    compared++;
                    if (diff >= ABSOLUTE) {
                        worst = Math.max(worst, rel);
                        if (rel > tolerance) {
                            failures.add(new Entry(v.name(), k, a, num, rel));
                        }
                    }
                }
            }
            offset += n;
        }
        return new Result(compared, worst, failures);
    }

    private static double loss(KilnModel model, INDArray[] inputs, INDArray[] targets, long seed) {
        model.reseed(seed);
        return model.computeGradients(inputs, targets, true).loss();
    }

    private static long[] sample(long n, int max, SplittableRandom random) {
        if (n <= max) {
            long[] all = new long[(int) n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        long[] out = new long[max];
        for (int i = 0; i < max; i++) {
            out[i] = random.nextLong(n);
        }
        return out;
    }
}
