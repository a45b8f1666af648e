package dev.kiln.runtime.kernel;

import dev.kiln.dsl.Activation;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code LSTM} ({@code keras/src/layers/rnn/lstm.py}): gate blocks {@code [i, f, c, o]} in a kernel
 * {@code (in, 4u)}, a recurrent kernel {@code (u, 4u)} and one bias {@code (4u)};
 * {@code c_t = f * c_{t-1} + i * act(z_c)}, {@code h_t = o * act(c_t)}, the gates through the recurrent activation.
 *
 * <p>The input projection of every step is one gemm before the loop; each step adds {@code h_{t-1} @ U} with one gemm
 * into its contiguous rows of the time-major gate buffer and runs the gates in one pass. Backpropagation through time
 * runs the steps in reverse with one gemm each for {@code dU} and {@code dh_{t-1}}; the kernel's and the input's
 * gradients are one gemm each after the loop. Scratch buffers are the plan's: one sample's shapes are
 * {@code xs (steps, in)}, {@code gates (steps, 4u)}, {@code h} and {@code c (steps, u)}, and for backward
 * {@code dGates (steps, 4u)}, {@code dh} and {@code dc (u)}, {@code dxs (steps, in)}.
 */
public final class LSTMKernel {
    private LSTMKernel() {
    }

    /**
     * The forward pass: {@code y} is every step's {@code h} ({@code returnSequences}) or the last one's. A sample skips
     * the steps its {@code mask (batch, steps)} marks 0 (null: none), keeping its state and repeating its last output.
     */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray h, INDArray c, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, gates, h, c, y, activation, recurrentActivation,
                returnSequences, goBackwards, null, null, null, null, null, 0, 0, null);
    }

    /**
     * The forward pass in training with Keras's {@code dropout} and {@code recurrentDropout}: fresh masks drawn from
     * {@code random} into {@code inputMasks} and {@code recurrentMasks} (either null when its rate is 0), reused at
     * every step, see {@link RecurrentDropout}; the scratch buffers are null where the masks need none.
     */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray h, INDArray c, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, INDArray inputMasks,
            INDArray recurrentMasks, INDArray xScratch, INDArray zScratch, INDArray hScratch, double dropout,
            double recurrentDropout, SplittableRandom random) {
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
        INDArray gateRows = Sequences.rows(gates, 4L * units);
        INDArray hRows = Sequences.rows(h, units);
        RecurrentDropout.project(xs, inputMasks, kernel, gateRows, batch, 4, xScratch, zScratch);
        if (bias != null) {
            Kernels.addBias(gateRows, bias);
        }
        Vec z = Vec.of(gates);
        Vec hv = Vec.of(h);
        Vec cv = Vec.of(c);
        Vec m = mask == null ? null : Vec.of(mask);
        boolean f32 = z instanceof Vec.F32;
        for (int s = 0; s < steps; s++) {
            if (s > 0) {
                RecurrentDropout.recurrent(Sequences.step(hRows, batch, s - 1), recurrentMasks, recurrentKernel,
                        Sequences.step(gateRows, batch, s), true, 4, hScratch, zScratch);
            }
            for (int b = 0; b < batch; b++) {
                int row = s * batch + b;
                if (!Sequences.keeps(m, b, s, steps, goBackwards)) {
                    for (int j = 0; j < units; j++) {
                        for (int k = 0; k < 4; k++) {
                            z.set(row * 4 * units + k * units + j, 0);
                        }
                        cv.set(row * units + j, s > 0 ? cv.get((row - batch) * units + j) : 0);
                        hv.set(row * units + j, s > 0 ? hv.get((row - batch) * units + j) : 0);
                    }
                    continue;
                }
                for (int j = 0; j < units; j++) {
                    int zi = row * 4 * units + j;
                    double i = act(recurrentActivation, z.get(zi), f32);
                    double f = act(recurrentActivation, z.get(zi + units), f32);
                    double g = act(activation, z.get(zi + 2 * units), f32);
                    double o = act(recurrentActivation, z.get(zi + 3 * units), f32);
                    double cPrev = s > 0 ? cv.get((row - batch) * units + j) : 0;
                    double cNew = f * cPrev + i * g;
                    z.set(zi, i);
                    z.set(zi + units, f);
                    z.set(zi + 2 * units, g);
                    z.set(zi + 3 * units, o);
                    cv.set(row * units + j, cNew);
                    hv.set(row * units + j, o * act(activation, cNew, f32));
                }
            }
        }
        if (returnSequences) {
            Sequences.toBatchMajor(h, y, false, false);
        } else {
            Sequences.copyStep(h, batch, steps - 1, y, false);
        }
    }

    /**
     * Backpropagation through time from {@code dy}: the weights' gradients written (or added,
             {@code accumulateWeights},
     * for a shared layer's later application) and, unless {@code dx} is null, the input's (added with
     * {@code accumulateInput}). {@code bias} and {@code dBias} are null without a bias.
     */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray h, INDArray c, INDArray dy, INDArray dGates, INDArray dh, INDArray dc, INDArray dKernel,
            INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, boolean accumulateWeights,
            boolean accumulateInput) {
        backward(mask, kernel, recurrentKernel, xs, gates, h, c, dy, dGates, dh, dc, dKernel, dRecurrentKernel, dBias,
                dxs, dx, activation, recurrentActivation, returnSequences, goBackwards, accumulateWeights,
                accumulateInput, null, null, null, null, null, null);
    }

    /** Backpropagation through time with the dropout masks the training forward pass drew (null: none). */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray h, INDArray c, INDArray dy, INDArray dGates, INDArray dh, INDArray dc, INDArray dKernel,
            INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, boolean accumulateWeights,
            boolean accumulateInput, INDArray inputMasks, INDArray recurrentMasks, INDArray xScratch,
            INDArray zScratch, INDArray hScratch, INDArray dhScratch) {
        int units = Math.toIntExact(recurrentKernel.size(0));
        int batch = Math.toIntExact(dh.size(0));
        int steps = Math.toIntExact(gates.length() / (4L * units * batch));
        INDArray gateGradRows = Sequences.rows(dGates, 4L * units);
        INDArray hRows = Sequences.rows(h, units);
        Vec z = Vec.of(gates);
        Vec cv = Vec.of(c);
        Vec dz = Vec.of(dGates);
        Vec dhv = Vec.of(dh);
        Vec dcv = Vec.of(dc);
        Vec m = mask == null ? null : Vec.of(mask);
        boolean f32 = z instanceof Vec.F32;
        Sequences.zero(dhv);
        Sequences.zero(dcv);
        if (dRecurrentKernel != null && !accumulateWeights) {
            dRecurrentKernel.assign(0);
        }
        for (int s = steps - 1; s >= 0; s--) {
            Sequences.addOutputGradient(dy, dhv, s, steps, returnSequences);
            for (int b = 0; b < batch; b++) {
                int row = s * batch + b;
                if (!Sequences.keeps(m, b, s, steps, goBackwards)) {
                    for (int k = 0; k < 4 * units; k++) {
                        dz.set(row * 4 * units + k, 0); // a skipped step: dh and dc pass to the step before
                    }
                    continue;
                }
                for (int j = 0; j < units; j++) {
                    int zi = row * 4 * units + j;
                    double i = z.get(zi);
                    double f = z.get(zi + units);
                    double g = z.get(zi + 2 * units);
                    double o = z.get(zi + 3 * units);
                    double cNow = cv.get(row * units + j);
                    double a = act(activation, cNow, f32);
                    double cPrev = s > 0 ? cv.get((row - batch) * units + j) : 0;
                    double dhj = dhv.get(b * units + j);
                    double dC = dcv.get(b * units + j) + dhj * o * Activations.derivative(activation, cNow, a);
                    dcv.set(b * units + j, dC * f);
                    dz.set(zi, dC * g * Activations.derivative(recurrentActivation, 0, i));
                    dz.set(zi + units, dC * cPrev * Activations.derivative(recurrentActivation, 0, f));
                    dz.set(zi + 2 * units, dC * i * Activations.derivative(activation, 0, g));
                    dz.set(zi + 3 * units, dhj * a * Activations.derivative(recurrentActivation, 0, o));
                    dhv.set(b * units + j, 0); // what reaches h_{t-1} comes through U, added below
                }
            }
            if (s > 0) {
                RecurrentDropout.recurrentBackward(Sequences.step(hRows, batch, s - 1), recurrentMasks,
                        recurrentKernel, Sequences.step(gateGradRows, batch, s), dh, dRecurrentKernel, 4, hScratch,
                        zScratch, dhScratch);
            }
        }
        RecurrentDropout.projectBackward(kernel, xs, gateGradRows, inputMasks, dKernel, dBias, dxs, dx, goBackwards,
                accumulateWeights, accumulateInput, batch, 4, xScratch, zScratch);
    }

    /** An activation in the gate pass: float32 models take {@link Activations#applyFloat}'s faster tanh. */
    private static double act(Activation f, double x, boolean f32) {
        return f32 ? Activations.applyFloat(f, x) : Activations.apply(f, x);
    }
}
