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
 *
 * <p>States (Keras's {@code initial_state} and {@code return_state}): the forms that take them start from
 * {@code initialH} and {@code initialC} {@code (batch, u)} (null: zeros) and copy the states after the last step into
 * {@code finalH} and {@code finalC} (null: not kept); their backward passes start from the final states' gradients and
 * end with the initial states'. Every form is one of these, with nulls where it has none.
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
                returnSequences, goBackwards, null, null, null, null, null, null, null, null, null, 0, 0, null);
    }

    /**
     * The forward pass from initial states ({@code initialH} and {@code initialC} {@code (batch, units)}, null: zeros)
     * that keeps the final states in {@code finalH} and {@code finalC} (null: not kept).
     */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray h, INDArray c, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, INDArray initialH,
            INDArray initialC, INDArray finalH, INDArray finalC) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, gates, h, c, y, activation, recurrentActivation,
                returnSequences, goBackwards, initialH, initialC, finalH, finalC, null, null, null, null, null, 0, 0,
                null);
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
        forward(x, mask, kernel, recurrentKernel, bias, xs, gates, h, c, y, activation, recurrentActivation,
                returnSequences, goBackwards, null, null, null, null, inputMasks, recurrentMasks, xScratch, zScratch,
                hScratch, dropout, recurrentDropout, random);
    }

    /** The forward pass in training with dropout, from initial states and keeping the final ones. */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray h, INDArray c, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, INDArray initialH,
            INDArray initialC, INDArray finalH, INDArray finalC, INDArray inputMasks, INDArray recurrentMasks,
            INDArray xScratch, INDArray zScratch, INDArray hScratch, double dropout, double recurrentDropout,
            SplittableRandom random) {
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
        Vec h0 = initialH == null ? null : Vec.of(initialH);
        Vec c0 = initialC == null ? null : Vec.of(initialC);
        boolean f32 = z instanceof Vec.F32;
        for (int s = 0; s < steps; s++) {
            INDArray hPrev = s > 0 ? Sequences.step(hRows, batch, s - 1) : initialH;
            if (hPrev != null) {
                RecurrentDropout.recurrent(hPrev, recurrentMasks, recurrentKernel, Sequences.step(gateRows, batch, s),
                        true, 4, hScratch, zScratch);
            }
            for (int b = 0; b < batch; b++) {
                int row = s * batch + b;
                if (!Sequences.keeps(m, b, s, steps, goBackwards)) {
                    for (int j = 0; j < units; j++) {
                        for (int k = 0; k < 4; k++) {
                            z.set(row * 4 * units + k * units + j, 0);
                        }
                        cv.set(row * units + j, s > 0 ? cv.get((row - batch) * units + j)
                                : Sequences.initial(c0, b * units + j));
                        hv.set(row * units + j, s > 0 ? hv.get((row - batch) * units + j)
                                : Sequences.initial(h0, b * units + j));
                    }
                    continue;
                }
                for (int j = 0; j < units; j++) {
                    int zi = row * 4 * units + j;
                    double i = act(recurrentActivation, z.get(zi), f32);
                    double f = act(recurrentActivation, z.get(zi + units), f32);
                    double g = act(activation, z.get(zi + 2 * units), f32);
                    double o = act(recurrentActivation, z.get(zi + 3 * units), f32);
                    double cPrev = s > 0 ? cv.get((row - batch) * units + j) : Sequences.initial(c0, b * units + j);
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
        if (finalH != null) {
            Sequences.copyStep(h, batch, steps - 1, finalH, false);
        }
        if (finalC != null) {
            Sequences.copyStep(c, batch, steps - 1, finalC, false);
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
                accumulateInput, null, null, null, null, null, null, false, false, null, null, null, null, null, null);
    }

    /**
     * Backpropagation through time of the forward pass from initial states: {@code dy} may be null (only the final
     * states are consumed), the final states' gradients {@code dFinalH} and {@code dFinalC} (null: none) join at the
     * last step, and the initial states' gradients are written into {@code dInitialH} and {@code dInitialC} (null:
     * not needed), or added with their flags.
     */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray h, INDArray c, INDArray dy, INDArray dGates, INDArray dh, INDArray dc, INDArray dKernel,
            INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, boolean accumulateWeights,
            boolean accumulateInput, INDArray initialH, INDArray initialC, INDArray dFinalH, INDArray dFinalC,
            INDArray dInitialH, INDArray dInitialC, boolean accumulateInitialH, boolean accumulateInitialC) {
        backward(mask, kernel, recurrentKernel, xs, gates, h, c, dy, dGates, dh, dc, dKernel, dRecurrentKernel, dBias,
                dxs, dx, activation, recurrentActivation, returnSequences, goBackwards, accumulateWeights,
                accumulateInput, initialH, initialC, dFinalH, dFinalC, dInitialH, dInitialC, accumulateInitialH,
                accumulateInitialC, null, null, null, null, null, null);
    }

    /** Backpropagation through time with the dropout masks the training forward pass drew (null: none). */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray h, INDArray c, INDArray dy, INDArray dGates, INDArray dh, INDArray dc, INDArray dKernel,
            INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, boolean accumulateWeights,
            boolean accumulateInput, INDArray inputMasks, INDArray recurrentMasks, INDArray xScratch,
            INDArray zScratch, INDArray hScratch, INDArray dhScratch) {
        backward(mask, kernel, recurrentKernel, xs, gates, h, c, dy, dGates, dh, dc, dKernel, dRecurrentKernel, dBias,
                dxs, dx, activation, recurrentActivation, returnSequences, goBackwards, accumulateWeights,
                accumulateInput, null, null, null, null, null, null, false, false, inputMasks, recurrentMasks,
                xScratch, zScratch, hScratch, dhScratch);
    }

    /** Backpropagation through time with dropout masks, from final states' gradients to initial states'. */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray h, INDArray c, INDArray dy, INDArray dGates, INDArray dh, INDArray dc, INDArray dKernel,
            INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, boolean accumulateWeights,
            boolean accumulateInput, INDArray initialH, INDArray initialC, INDArray dFinalH, INDArray dFinalC,
            INDArray dInitialH, INDArray dInitialC, boolean accumulateInitialH, boolean accumulateInitialC,
            INDArray inputMasks, INDArray recurrentMasks, INDArray xScratch, INDArray zScratch, INDArray hScratch,
            INDArray dhScratch) {
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
        Vec c0 = initialC == null ? null : Vec.of(initialC);
        boolean f32 = z instanceof Vec.F32;
        Sequences.start(dhv, dFinalH);
        Sequences.start(dcv, dFinalC);
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
                    double cPrev = s > 0 ? cv.get((row - batch) * units + j) : Sequences.initial(c0, b * units + j);
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
            INDArray hPrev = s > 0 ? Sequences.step(hRows, batch, s - 1) : initialH;
            if (hPrev != null) {
                RecurrentDropout.recurrentBackward(hPrev, recurrentMasks, recurrentKernel,
                        Sequences.step(gateGradRows, batch, s), dh, dRecurrentKernel, 4, hScratch, zScratch,
                        dhScratch);
            }
        }
        Sequences.finish(dhv, dInitialH, accumulateInitialH);
        Sequences.finish(dcv, dInitialC, accumulateInitialC);
        RecurrentDropout.projectBackward(kernel, xs, gateGradRows, inputMasks, dKernel, dBias, dxs, dx, goBackwards,
                accumulateWeights, accumulateInput, batch, 4, xScratch, zScratch);
    }

    /** An activation in the gate pass: float32 models take {@link Activations#applyFloat}'s faster tanh. */
    private static double act(Activation f, double x, boolean f32) {
        return f32 ? Activations.applyFloat(f, x) : Activations.apply(f, x);
    }
}
