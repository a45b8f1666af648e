package dev.kiln.runtime.kernel;

import dev.kiln.dsl.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code SimpleRNN}: {@code h_t = act(x_t @ kernel + h_{t-1} @ recurrentKernel + bias)}. One gemm projects
 * every step's input before the loop; each step adds its recurrent term with one gemm into its rows of {@code h}
 * (time-major scratch of one sample's shape {@code (steps, u)}) and activates them in place. Backward needs
 * {@code dPre (steps, u)}, {@code dh (u)} and {@code dxs (steps, in)}.
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
        int batch = Math.toIntExact(x.size(0));
        int steps = Math.toIntExact(x.size(1));
        int units = Math.toIntExact(recurrentKernel.size(0));
        Sequences.toTimeMajor(x, xs, goBackwards);
        INDArray hRows = Sequences.rows(h, units);
        Kernels.gemm(Sequences.rows(xs, x.size(2)), kernel, hRows, false, false);
        if (bias != null) {
            Kernels.addBias(hRows, bias);
        }
        Vec hv = Vec.of(h);
        Vec m = mask == null ? null : Vec.of(mask);
        for (int s = 0; s < steps; s++) {
            if (s > 0) {
                Kernels.gemmAccumulate(Sequences.step(hRows, batch, s - 1), recurrentKernel,
                        Sequences.step(hRows, batch, s), false, false);
            }
            for (int b = 0; b < batch; b++) {
                boolean keep = Sequences.keeps(m, b, s, steps, goBackwards);
                for (int i = (s * batch + b) * units, end = i + units; i < end; i++) {
                    hv.set(i, keep ? Activations.apply(activation, hv.get(i)) : s > 0 ? hv.get(i - batch * units) : 0);
                }
            }
        }
        if (returnSequences) {
            Sequences.toBatchMajor(h, y, false, false);
        } else {
            Sequences.copyStep(h, batch, steps - 1, y, false);
        }
    }

    /** Backpropagation through time; as {@link LSTMKernel#backward}. */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray h,
            INDArray dy, INDArray dPre, INDArray dh, INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias,
            INDArray dxs, INDArray dx, Activation activation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput) {
        int units = Math.toIntExact(recurrentKernel.size(0));
        int batch = Math.toIntExact(dh.size(0));
        int steps = Math.toIntExact(h.length() / ((long) units * batch));
        INDArray hRows = Sequences.rows(h, units);
        INDArray preGradRows = Sequences.rows(dPre, units);
        Vec hv = Vec.of(h);
        Vec dp = Vec.of(dPre);
        Vec dhv = Vec.of(dh);
        Vec m = mask == null ? null : Vec.of(mask);
        Sequences.zero(dhv);
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
            if (s > 0) {
                INDArray dStep = Sequences.step(preGradRows, batch, s);
                if (dRecurrentKernel != null) {
                    Kernels.gemmAccumulate(Sequences.step(hRows, batch, s - 1), dStep, dRecurrentKernel, true, false);
                }
                Kernels.gemmAccumulate(dStep, recurrentKernel, dh, false, true);
            }
        }
        Sequences.inputSideGradients(kernel, xs, preGradRows, dKernel, dBias, dxs, dx, goBackwards,
                accumulateWeights, accumulateInput);
    }
}
