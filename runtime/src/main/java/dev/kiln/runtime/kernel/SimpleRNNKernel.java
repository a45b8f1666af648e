package dev.kiln.runtime.kernel;

import dev.kiln.dsl.Activation;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code SimpleRNN}: {@code h_t = act(x_t @ kernel + h_{t-1} @ recurrentKernel + bias)}. One gemm projects
 * every step's input before the loop; each step adds its recurrent term with one gemm into its rows of {@code h}
 * (time-major scratch of one sample's shape {@code (steps, u)}) and activates them in place. Backward needs
 * {@code dPre (steps, u)}, {@code dh (u)} and {@code dxs (steps, in)}. States as {@link GRUKernel}'s.
 */
public final class SimpleRNNKernel {
    private SimpleRNNKernel() {
    }

    /**
     * The forward pass: {@code y} is every step's {@code h} ({@code returnSequences}) or the last one's. A sample skips
     * the steps its {@code mask (batch, steps)} marks 0 (null: none), keeping its state and repeating its last output.
     */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray h, INDArray y, Activation activation, boolean returnSequences, boolean goBackwards) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, h, y, activation, returnSequences, goBackwards, null, null,
                null, null, null, 0, 0, null);
    }

    /** The forward pass from {@code initialH} (null: zeros), keeping the final state in {@code finalH} (null: not). */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray h, INDArray y, Activation activation, boolean returnSequences, boolean goBackwards,
            INDArray initialH, INDArray finalH) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, h, y, activation, returnSequences, goBackwards, initialH,
                finalH, null, null, null, 0, 0, null);
    }

    /**
     * The forward pass in training with Keras's {@code dropout} and {@code recurrentDropout}: one input mask and one
     * recurrent mask per sample drawn from {@code random} (either null when its rate is 0), reused at every step.
     */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray h, INDArray y, Activation activation, boolean returnSequences, boolean goBackwards,
            INDArray inputMasks, INDArray recurrentMasks, INDArray hScratch, double dropout, double recurrentDropout,
            SplittableRandom random) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, h, y, activation, returnSequences, goBackwards, null, null,
                inputMasks, recurrentMasks, hScratch, dropout, recurrentDropout, random);
    }

    /** The forward pass in training with dropout, from an initial state and keeping the final one. */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray h, INDArray y, Activation activation, boolean returnSequences, boolean goBackwards,
            INDArray initialH, INDArray finalH, INDArray inputMasks, INDArray recurrentMasks, INDArray hScratch,
            double dropout, double recurrentDropout, SplittableRandom random) {
        if (inputMasks != null) {
            RecurrentDropout.draw(inputMasks, dropout, random);
        }
        if (recurrentMasks != null) {
            RecurrentDropout.draw(recurrentMasks, recurrentDropout, random);
        }
        int batch = Math.toIntExact(x.size(0));
        int steps = Math.toIntExact(x.size(1));
        int units = Math.toIntExact(recurrentKernel.size(0));
        Sequences.toTimeMajor(x, xs, goBackwards);
        INDArray hRows = Sequences.rows(h, units);
        RecurrentDropout.project(xs, inputMasks, kernel, hRows, batch, 1, null, null);
        if (bias != null) {
            Kernels.addBias(hRows, bias);
        }
        Vec hv = Vec.of(h);
        Vec m = mask == null ? null : Vec.of(mask);
        Vec h0 = initialH == null ? null : Vec.of(initialH);
        for (int s = 0; s < steps; s++) {
            INDArray hPrev = s > 0 ? Sequences.step(hRows, batch, s - 1) : initialH;
            if (hPrev != null) {
                RecurrentDropout.recurrent(hPrev, recurrentMasks, recurrentKernel, Sequences.step(hRows, batch, s),
                        true, 1, hScratch, null);
            }
            for (int b = 0; b < batch; b++) {
                boolean keep = Sequences.keeps(m, b, s, steps, goBackwards);
                for (int i = (s * batch + b) * units, end = i + units; i < end; i++) {
                    hv.set(i, keep ? Activations.apply(activation, hv.get(i)) : s > 0 ? hv.get(i - batch * units)
                            : Sequences.initial(h0, i - s * batch * units));
                }
            }
        }
        if (returnSequences) {
            Sequences.toBatchMajor(h, y, false, false);
        } else {
            Sequences.copyStep(h, batch, steps - 1, y, false);
        }
        if (finalH != null) {
            Sequences.copyStep(h, batch, steps - 1, finalH, false);
        }
    }

    /** Backpropagation through time; as {@link LSTMKernel#backward}. */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray h,
            INDArray dy, INDArray dPre, INDArray dh, INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias,
            INDArray dxs, INDArray dx, Activation activation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput) {
        backward(mask, kernel, recurrentKernel, xs, h, dy, dPre, dh, dKernel, dRecurrentKernel, dBias, dxs, dx,
                activation, returnSequences, goBackwards, accumulateWeights, accumulateInput, null, null, null, false,
                null, null, null, null);
    }

    /** Backpropagation through time from {@code initialH}, as {@link GRUKernel}'s. */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray h,
            INDArray dy, INDArray dPre, INDArray dh, INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias,
            INDArray dxs, INDArray dx, Activation activation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput, INDArray initialH, INDArray dFinalH,
            INDArray dInitialH, boolean accumulateInitialH) {
        backward(mask, kernel, recurrentKernel, xs, h, dy, dPre, dh, dKernel, dRecurrentKernel, dBias, dxs, dx,
                activation, returnSequences, goBackwards, accumulateWeights, accumulateInput, initialH, dFinalH,
                dInitialH, accumulateInitialH, null, null, null, null);
    }

    /** Backpropagation through time with the dropout masks the training forward pass drew (null: none). */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray h,
            INDArray dy, INDArray dPre, INDArray dh, INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias,
            INDArray dxs, INDArray dx, Activation activation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput, INDArray inputMasks, INDArray recurrentMasks,
            INDArray hScratch, INDArray dhScratch) {
        backward(mask, kernel, recurrentKernel, xs, h, dy, dPre, dh, dKernel, dRecurrentKernel, dBias, dxs, dx,
                activation, returnSequences, goBackwards, accumulateWeights, accumulateInput, null, null, null, false,
                inputMasks, recurrentMasks, hScratch, dhScratch);
    }

    /** Backpropagation through time with dropout masks, from the final state's gradient to the initial state's. */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray h,
            INDArray dy, INDArray dPre, INDArray dh, INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias,
            INDArray dxs, INDArray dx, Activation activation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput, INDArray initialH, INDArray dFinalH,
            INDArray dInitialH, boolean accumulateInitialH, INDArray inputMasks, INDArray recurrentMasks,
            INDArray hScratch, INDArray dhScratch) {
        int units = Math.toIntExact(recurrentKernel.size(0));
        int batch = Math.toIntExact(dh.size(0));
        int steps = Math.toIntExact(h.length() / ((long) units * batch));
        INDArray hRows = Sequences.rows(h, units);
        INDArray preGradRows = Sequences.rows(dPre, units);
        Vec hv = Vec.of(h);
        Vec dp = Vec.of(dPre);
        Vec dhv = Vec.of(dh);
        Vec m = mask == null ? null : Vec.of(mask);
        Sequences.start(dhv, dFinalH);
        if (dRecurrentKernel != null && !accumulateWeights) {
            dRecurrentKernel.assign(0);
        }
        for (int s = steps - 1; s >= 0; s--) {
            Sequences.addOutputGradient(dy, dhv, s, steps, returnSequences);
            for (int b = 0; b < batch; b++) {
                boolean keep = Sequences.keeps(m, b, s, steps, goBackwards);
                for (int k = b * units, at = s * batch * units; k < (b + 1) * units; k++) {
                    // a skipped step passes dh to the step before; a taken one sends it through U, added below
                    dp.set(at + k, keep ? dhv.get(k) * Activations.derivative(activation, 0, hv.get(at + k)) : 0);
                    if (keep) {
                        dhv.set(k, 0);
                    }
                }
            }
            INDArray hPrev = s > 0 ? Sequences.step(hRows, batch, s - 1) : initialH;
            if (hPrev != null) {
                RecurrentDropout.recurrentBackward(hPrev, recurrentMasks, recurrentKernel,
                        Sequences.step(preGradRows, batch, s), dh, dRecurrentKernel, 1, hScratch, null, dhScratch);
            }
        }
        Sequences.finish(dhv, dInitialH, accumulateInitialH);
        RecurrentDropout.projectBackward(kernel, xs, preGradRows, inputMasks, dKernel, dBias, dxs, dx, goBackwards,
                accumulateWeights, accumulateInput, batch, 1, null, null);
    }
}
