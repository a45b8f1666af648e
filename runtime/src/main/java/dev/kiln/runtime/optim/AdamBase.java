package dev.kiln.runtime.optim;

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
    private boolean amsgrad;
    private FlatArray momentum;
    private FlatArray velocity;
    private FlatArray velocityHat;
    /** Heap copies of the weights and gradients for the float32 step, made on its first call. */
    private float[][] stage;

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
        momentum = slot("momentum", 0);
        velocity = slot("velocity", 0);
        if (amsgrad) {
            velocityHat = slot("velocity_hat", 0);
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
        FloatBuffer m = momentum.floats;
        FloatBuffer v = velocity.floats;
        FloatBuffer vHat = velocityHat == null ? null : velocityHat.floats;
        if (stage == null) {
            stage = new float[2][w.limit()];
        }
        float[][] st = stage;
        dev.kiln.runtime.kernel.Parallel.forRange(w.limit(), (from, to) -> {
            if (vHat == null) {
                updateFloatChunked(w, g, m, v, st, alpha, keep, c1, c2, eps, from, to);
            } else {
                updateFloat(w, g, m, v, vHat, alpha, keep, c1, c2, eps, from, to);
            }
        });
    }

    private static final int CHUNK = 2048;

    /**
     * The plain Adam step in chunks: weights and gradients copied from native memory in bulk to heap arrays at the same
     * positions ({@code stage}, as long as the weights), the slots (heap arrays, see {@link FlatArray}) read in place,
     * and a loop that indexes all four arrays alike, which the JIT vectorizes (with the chunk at another offset than
     * the slots it did not: 2.4 ms instead of 0.45). Measured on one core for 670k weights: 1.7 ms for the element-wise
     * loop over native buffers, 0.66 ms with all four arrays copied in chunks.
     */
    private static void updateFloatChunked(FloatBuffer w, FloatBuffer g, FloatBuffer m, FloatBuffer v, float[][] stage,
            float alpha, float keep, float c1, float c2, float eps, int from, int to) {
        float[] ws = stage[0];
        float[] gs = stage[1];
        float[] ms = m.array();
        float[] vs = v.array();
        for (int base = from; base < to; base += CHUNK) {
            int end = Math.min(to, base + CHUNK);
            w.get(base, ws, base, end - base);
            g.get(base, gs, base, end - base);
            for (int i = base; i < end; i++) {
                float gi = gs[i];
                float mi = ms[i] + (gi - ms[i]) * c1;
                float vi = vs[i] + (gi * gi - vs[i]) * c2;
                ms[i] = mi;
                vs[i] = vi;
                ws[i] = ws[i] * keep - mi * alpha / ((float) Math.sqrt(vi) + eps);
            }
            w.put(base, ws, base, end - base);
        }
    }

    private static void updateFloat(FloatBuffer w, FloatBuffer g, FloatBuffer m, FloatBuffer v, FloatBuffer vHat,
            float alpha, float keep, float c1, float c2, float eps, int from, int to) {
        for (int i = from; i < to; i++) {
            float gi = g.get(i);
            float mi = m.get(i);
            mi += (gi - mi) * c1;
            float vi = v.get(i);
            vi += (gi * gi - vi) * c2;
            m.put(i, mi);
            v.put(i, vi);
            if (vHat != null) {
                vi = Math.max(vHat.get(i), vi);
                vHat.put(i, vi);
            }
            w.put(i, w.get(i) * keep - mi * alpha / ((float) Math.sqrt(vi) + eps));
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
