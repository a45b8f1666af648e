package dev.kiln.runtime.optim;

import dev.kiln.runtime.kernel.Parallel;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's Adam rule, shared by {@link Adam} and {@link AdamW} (which differ only in the default weight decay). With
 * {@code t = iterations + 1}:
 * <pre>
 *   alpha    = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
 *   momentum = momentum + (g - momentum) * (1 - beta_1)
 *   velocity = velocity + (g^2 - velocity) * (1 - beta_2)
 *   amsgrad:   velocity_hat = max(velocity_hat, velocity), used below in place of velocity
 *   w        = w - momentum * alpha / (sqrt(velocity) + epsilon)
 * </pre>
 * Defaults as Keras: {@code beta_1=0.9, beta_2=0.999, epsilon=1e-07, amsgrad=False}. Slots: {@code momentum},
 * {@code velocity}, and {@code velocity_hat} with amsgrad.
 *
 * @param <T> the concrete optimizer
 */
public abstract class AdamBase<T extends AdamBase<T>> extends MomentsOptimizer<T> {
    private static final int CHUNK = FlatArray.CHUNK;
    /** Per thread: a chunk of weights and one of gradients, copied in from native memory for the float32 step. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][CHUNK]);

    private boolean amsgrad;
    private FlatArray momentum;
    private FlatArray velocity;
    private FlatArray velocityHat;

    AdamBase(double learningRate) {
        super(learningRate);
    }

    AdamBase(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** The AMSGrad variant (Reddi et al., 2018); Keras's default false. */
    public final T amsgrad(boolean amsgrad) {
        checkConfigurable("amsgrad");
        this.amsgrad = amsgrad;
        return self();
    }

    @Override
    final void createSlots() {
        momentum = chunkedSlot("momentum");
        velocity = chunkedSlot("velocity");
        if (amsgrad) {
            velocityHat = chunkedSlot("velocity_hat");
        }
    }

    @Override
    final void describe(ConfigText config) {
        config.add("beta_1", beta1).add("beta_2", beta2).add("epsilon", epsilon).add("amsgrad", amsgrad);
    }

    private double alpha(double lr) {
        double t = iterations() + 1;
        return lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    }

    @Override
    final void updateFloat(FloatBuffer w, FloatBuffer g, double lr, double keepFraction) {
        float alpha = (float) alpha(lr);
        float keep = (float) keepFraction;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float[][] m = momentum.chunks;
        float[][] v = velocity.chunks;
        float[][] vHat = velocityHat == null ? null : velocityHat.chunks;
        Parallel.forRange(w.limit(), (from, to) -> {
            float[][] scratch = SCRATCH.get();
            float[] ws = scratch[0];
            float[] gs = scratch[1];
            for (int c = from / CHUNK; c * CHUNK < to; c++) {
                int base = c * CHUNK;
                int lo = Math.max(from, base) - base;
                int hi = Math.min(to, base + m[c].length) - base;
                w.get(base + lo, ws, lo, hi - lo);
                g.get(base + lo, gs, lo, hi - lo);
                if (vHat == null) {
                    update(ws, gs, m[c], v[c], lo, hi, alpha, keep, c1, c2, eps);
                } else {
                    updateAmsgrad(ws, gs, m[c], v[c], vHat[c], lo, hi, alpha, keep, c1, c2, eps);
                }
                w.put(base + lo, ws, lo, hi - lo);
            }
        });
    }

    /**
     * The Adam step on elements {@code [lo, hi)} of one chunk: weights and gradients in scratch arrays, the slots'
     * chunk at the same index, so that the JIT vectorizes the loop (see {@link FlatArray} for the measurements).
     */
    private static void update(float[] w, float[] g, float[] m, float[] v, int lo, int hi, float alpha, float keep,
            float c1, float c2, float eps) {
        for (int i = lo; i < hi; i++) {
            float gi = g[i];
            float mi = m[i] + (gi - m[i]) * c1;
            float vi = v[i] + (gi * gi - v[i]) * c2;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] * keep - mi * alpha / ((float) Math.sqrt(vi) + eps);
        }
    }

    /** The AMSGrad step, a loop of its own so that the plain one stays free of the extra slot for the JIT. */
    private static void updateAmsgrad(float[] w, float[] g, float[] m, float[] v, float[] vHat, int lo, int hi,
            float alpha, float keep, float c1, float c2, float eps) {
        for (int i = lo; i < hi; i++) {
            float gi = g[i];
            float mi = m[i] + (gi - m[i]) * c1;
            float vi = v[i] + (gi * gi - v[i]) * c2;
            m[i] = mi;
            v[i] = vi;
            float vh = Math.max(vHat[i], vi);
            vHat[i] = vh;
            w[i] = w[i] * keep - mi * alpha / ((float) Math.sqrt(vh) + eps);
        }
    }

    @Override
    final void updateDouble(DoubleBuffer w, DoubleBuffer g, double lr, double keep) {
        double alpha = alpha(lr);
        double c1 = 1 - beta1;
        double c2 = 1 - beta2;
        double eps = epsilon;
        DoubleBuffer m = momentum.doubles;
        DoubleBuffer v = velocity.doubles;
        DoubleBuffer vHat = velocityHat == null ? null : velocityHat.doubles;
        for (int i = 0, n = w.limit(); i < n; i++) {
            double gi = g.get(i);
            double mi = m.get(i);
            mi += (gi - mi) * c1;
            double vi = v.get(i);
            vi += (gi * gi - vi) * c2;
            m.put(i, mi);
            v.put(i, vi);
            if (vHat != null) {
                vi = Math.max(vHat.get(i), vi);
                vHat.put(i, vi);
            }
            w.put(i, w.get(i) * keep - mi * alpha / (Math.sqrt(vi) + eps));
        }
    }
}
