package dev.kiln.runtime.kernel;

import dev.kiln.dsl.Activation;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 3's {@code GRU} with {@code reset_after=True} ({@code keras/src/layers/rnn/gru.py}): gate blocks
 * {@code [z, r, h]} in a kernel {@code (in, 3u)} and a recurrent kernel {@code (u, 3u)}, a bias {@code (2, 3u)} whose
 * first row is the input's and second the recurrent projection's;
 * {@code hh = act(x W_h + b_h + r * (h_{t-1} U_h + b'_h))} and {@code h_t = z * h_{t-1} + (1 - z) * hh}.
 *
 * <p>As in {@link LSTMKernel}: one gemm for every step's input projection, one per step for the recurrent projection,
 * time-major scratch the plan owns: one sample's {@code xs (steps, in)}, {@code gates} and {@code recurrent
 * (steps, 3u)}, {@code h (steps, u)}; for backward {@code dGates} and {@code dRecurrent (steps, 3u)}, {@code dh (u)},
 * {@code dxs (steps, in)}.
 *
 * <p>States, as in {@link LSTMKernel}: the forms that take them start from {@code initialH} {@code (batch, u)} (null:
 * zeros), keep the state after the last step in {@code finalH} (null: not kept), and backward start from
 * {@code dFinalH} and end with {@code dInitialH}.
 */
public final class GRUKernel {
    private GRUKernel() {
    }

    /**
     * The forward pass: {@code y} is every step's {@code h} ({@code returnSequences}) or the last one's. A sample skips
     * the steps its {@code mask (batch, steps)} marks 0 (null: none), keeping its state and repeating its last output.
     */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray recurrent, INDArray h, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, gates, recurrent, h, y, activation, recurrentActivation,
                returnSequences, goBackwards, null, null, null, null, null, null, null, 0, 0, null);
    }

    /** The forward pass from {@code initialH} (null: zeros), keeping the final state in {@code finalH} (null: not). */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray recurrent, INDArray h, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, INDArray initialH,
            INDArray finalH) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, gates, recurrent, h, y, activation, recurrentActivation,
                returnSequences, goBackwards, initialH, finalH, null, null, null, null, null, 0, 0, null);
    }

    /**
     * The forward pass in training with Keras's {@code dropout} and {@code recurrentDropout}, as
     * {@link LSTMKernel}'s: masks drawn from {@code random} (either null when its rate is 0), reused at every step.
     */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray recurrent, INDArray h, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, INDArray inputMasks,
            INDArray recurrentMasks, INDArray xScratch, INDArray zScratch, INDArray hScratch, double dropout,
            double recurrentDropout, SplittableRandom random) {
        forward(x, mask, kernel, recurrentKernel, bias, xs, gates, recurrent, h, y, activation, recurrentActivation,
                returnSequences, goBackwards, null, null, inputMasks, recurrentMasks, xScratch, zScratch, hScratch,
                dropout, recurrentDropout, random);
    }

    /** The forward pass in training with dropout, from an initial state and keeping the final one. */
    public static void forward(INDArray x, INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray bias,
            INDArray xs, INDArray gates, INDArray recurrent, INDArray h, INDArray y, Activation activation,
            Activation recurrentActivation, boolean returnSequences, boolean goBackwards, INDArray initialH,
            INDArray finalH, INDArray inputMasks, INDArray recurrentMasks, INDArray xScratch, INDArray zScratch,
            INDArray hScratch, double dropout, double recurrentDropout, SplittableRandom random) {
        if (inputMasks != null) {
            RecurrentDropout.draw(inputMasks, dropout, random);
        }
        if (recurrentMasks != null) {
            RecurrentDropout.draw(recurrentMasks, recurrentDropout, random);
        }
        int batch = Math.toIntExact(x.size(0));
        int steps = Math.toIntExact(x.size(1));
        int units = Math.toIntExact(recurrentKernel.size(0));
        int width = 3 * units;
        Sequences.toTimeMajor(x, xs, goBackwards);
        INDArray gateRows = Sequences.rows(gates, width);
        INDArray recurrentRows = Sequences.rows(recurrent, width);
        INDArray hRows = Sequences.rows(h, units);
        RecurrentDropout.project(xs, inputMasks, kernel, gateRows, batch, 3, xScratch, zScratch);
        Vec bv = bias == null ? null : Vec.of(bias);
        Vec z = Vec.of(gates);
        Vec rec = Vec.of(recurrent);
        Vec hv = Vec.of(h);
        Vec m = mask == null ? null : Vec.of(mask);
        Vec h0 = initialH == null ? null : Vec.of(initialH);
        for (int s = 0; s < steps; s++) {
            INDArray recStep = Sequences.step(recurrentRows, batch, s);
            INDArray previous = s > 0 ? Sequences.step(hRows, batch, s - 1) : initialH;
            if (previous != null) {
                RecurrentDropout.recurrent(previous, recurrentMasks, recurrentKernel, recStep, false, 3, hScratch,
                        zScratch);
            } else {
                recStep.assign(0);
            }
            for (int b = 0; b < batch; b++) {
                int row = s * batch + b;
                if (!Sequences.keeps(m, b, s, steps, goBackwards)) {
                    for (int j = 0; j < units; j++) {
                        for (int k = 0; k < 3; k++) {
                            z.set(row * width + k * units + j, 0);
                            rec.set(row * width + k * units + j, 0);
                        }
                        hv.set(row * units + j, s > 0 ? hv.get((row - batch) * units + j)
                                : Sequences.initial(h0, b * units + j));
                    }
                    continue;
                }
                for (int j = 0; j < units; j++) {
                    int zi = row * width + j;
                    double inZ = z.get(zi) + (bv == null ? 0 : bv.get(j));
                    double inR = z.get(zi + units) + (bv == null ? 0 : bv.get(units + j));
                    double inH = z.get(zi + 2 * units) + (bv == null ? 0 : bv.get(2 * units + j));
                    double recZ = rec.get(zi) + (bv == null ? 0 : bv.get(width + j));
                    double recR = rec.get(zi + units) + (bv == null ? 0 : bv.get(width + units + j));
                    double recH = rec.get(zi + 2 * units) + (bv == null ? 0 : bv.get(width + 2 * units + j));
                    double gz = Activations.apply(recurrentActivation, inZ + recZ);
                    double gr = Activations.apply(recurrentActivation, inR + recR);
                    double hh = Activations.apply(activation, inH + gr * recH);
                    double hPrev = s > 0 ? hv.get((row - batch) * units + j) : Sequences.initial(h0, b * units + j);
                    z.set(zi, gz);
                    z.set(zi + units, gr);
                    z.set(zi + 2 * units, hh);
                    rec.set(zi + 2 * units, recH); // backward needs the reset gate's operand, bias included
                    hv.set(row * units + j, gz * hPrev + (1 - gz) * hh);
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

    /**
     * Backpropagation through time from {@code dy}: weights' gradients written (or added, {@code accumulateWeights}),
     * and, unless {@code dx} is null, the input's (added with {@code accumulateInput}). {@code dBias} is null without a
     * bias.
     */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray recurrent, INDArray h, INDArray dy, INDArray dGates, INDArray dRecurrent, INDArray dh,
            INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx,
            Activation activation, Activation recurrentActivation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput) {
        backward(mask, kernel, recurrentKernel, xs, gates, recurrent, h, dy, dGates, dRecurrent, dh, dKernel,
                dRecurrentKernel, dBias, dxs, dx, activation, recurrentActivation, returnSequences, goBackwards,
                accumulateWeights, accumulateInput, null, null, null, false, null, null, null, null, null, null);
    }

    /**
     * Backpropagation through time of the forward pass from {@code initialH}: {@code dy} may be null, {@code dFinalH}
     * (null: none) joins at the last step, and the initial state's gradient goes into {@code dInitialH} (null: not
     * needed), or is added with {@code accumulateInitialH}.
     */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray recurrent, INDArray h, INDArray dy, INDArray dGates, INDArray dRecurrent, INDArray dh,
            INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx,
            Activation activation, Activation recurrentActivation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput, INDArray initialH, INDArray dFinalH,
            INDArray dInitialH, boolean accumulateInitialH) {
        backward(mask, kernel, recurrentKernel, xs, gates, recurrent, h, dy, dGates, dRecurrent, dh, dKernel,
                dRecurrentKernel, dBias, dxs, dx, activation, recurrentActivation, returnSequences, goBackwards,
                accumulateWeights, accumulateInput, initialH, dFinalH, dInitialH, accumulateInitialH, null, null, null,
                null, null, null);
    }

    /** Backpropagation through time with the dropout masks the training forward pass drew (null: none). */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray recurrent, INDArray h, INDArray dy, INDArray dGates, INDArray dRecurrent, INDArray dh,
            INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx,
            Activation activation, Activation recurrentActivation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput, INDArray inputMasks, INDArray recurrentMasks,
            INDArray xScratch, INDArray zScratch, INDArray hScratch, INDArray dhScratch) {
        backward(mask, kernel, recurrentKernel, xs, gates, recurrent, h, dy, dGates, dRecurrent, dh, dKernel,
                dRecurrentKernel, dBias, dxs, dx, activation, recurrentActivation, returnSequences, goBackwards,
                accumulateWeights, accumulateInput, null, null, null, false, inputMasks, recurrentMasks, xScratch,
                zScratch, hScratch, dhScratch);
    }

    /** Backpropagation through time with dropout masks, from the final state's gradient to the initial state's. */
    public static void backward(INDArray mask, INDArray kernel, INDArray recurrentKernel, INDArray xs, INDArray gates,
            INDArray recurrent, INDArray h, INDArray dy, INDArray dGates, INDArray dRecurrent, INDArray dh,
            INDArray dKernel, INDArray dRecurrentKernel, INDArray dBias, INDArray dxs, INDArray dx,
            Activation activation, Activation recurrentActivation, boolean returnSequences, boolean goBackwards,
            boolean accumulateWeights, boolean accumulateInput, INDArray initialH, INDArray dFinalH,
            INDArray dInitialH, boolean accumulateInitialH, INDArray inputMasks, INDArray recurrentMasks,
            INDArray xScratch, INDArray zScratch, INDArray hScratch, INDArray dhScratch) {
        int units = Math.toIntExact(recurrentKernel.size(0));
        int width = 3 * units;
        int batch = Math.toIntExact(dh.size(0));
        int steps = Math.toIntExact(gates.length() / ((long) width * batch));
        INDArray gateGradRows = Sequences.rows(dGates, width);
        INDArray recGradRows = Sequences.rows(dRecurrent, width);
        INDArray hRows = Sequences.rows(h, units);
        Vec z = Vec.of(gates);
        Vec rec = Vec.of(recurrent);
        Vec hv = Vec.of(h);
        Vec dz = Vec.of(dGates);
        Vec drec = Vec.of(dRecurrent);
        Vec dhv = Vec.of(dh);
        Vec m = mask == null ? null : Vec.of(mask);
        Vec h0 = initialH == null ? null : Vec.of(initialH);
        Sequences.start(dhv, dFinalH);
        if (dRecurrentKernel != null && !accumulateWeights) {
            dRecurrentKernel.assign(0);
        }
        for (int s = steps - 1; s >= 0; s--) {
            Sequences.addOutputGradient(dy, dhv, s, steps, returnSequences);
            for (int b = 0; b < batch; b++) {
                int row = s * batch + b;
                if (!Sequences.keeps(m, b, s, steps, goBackwards)) {
                    for (int k = 0; k < width; k++) {
                        dz.set(row * width + k, 0); // a skipped step: dh passes to the step before
                        drec.set(row * width + k, 0);
                    }
                    continue;
                }
                for (int j = 0; j < units; j++) {
                    int zi = row * width + j;
                    double gz = z.get(zi);
                    double gr = z.get(zi + units);
                    double hh = z.get(zi + 2 * units);
                    double recH = rec.get(zi + 2 * units);
                    double hPrev = s > 0 ? hv.get((row - batch) * units + j) : Sequences.initial(h0, b * units + j);
                    double dhj = dhv.get(b * units + j);
                    double dPreH = dhj * (1 - gz) * Activations.derivative(activation, 0, hh);
                    double dPreR = dPreH * recH * Activations.derivative(recurrentActivation, 0, gr);
                    double dPreZ = dhj * (hPrev - hh) * Activations.derivative(recurrentActivation, 0, gz);
                    dz.set(zi, dPreZ);
                    dz.set(zi + units, dPreR);
                    dz.set(zi + 2 * units, dPreH);
                    drec.set(zi, dPreZ);
                    drec.set(zi + units, dPreR);
                    drec.set(zi + 2 * units, dPreH * gr);
                    dhv.set(b * units + j, dhj * gz);
                }
            }
            INDArray previous = s > 0 ? Sequences.step(hRows, batch, s - 1) : initialH;
            if (previous != null) {
                RecurrentDropout.recurrentBackward(previous, recurrentMasks, recurrentKernel,
                        Sequences.step(recGradRows, batch, s), dh, dRecurrentKernel, 3, hScratch, zScratch, dhScratch);
            }
        }
        Sequences.finish(dhv, dInitialH, accumulateInitialH);
        if (dBias != null) {
            biasGradient(dz, drec, Vec.of(dBias), width, accumulateWeights);
        }
        RecurrentDropout.projectBackward(kernel, xs, gateGradRows, inputMasks, dKernel, null, dxs, dx, goBackwards,
                accumulateWeights, accumulateInput, batch, 3, xScratch, zScratch);
    }

    /** Row 0 of the bias: column sums of the input side's gradient; row 1: of the recurrent side's. */
    private static void biasGradient(Vec dz, Vec drec, Vec db, int width, boolean accumulate) {
        for (int j = 0; j < 2 * width; j++) {
            db.set(j, accumulate ? db.get(j) : 0);
        }
        for (int i = 0, n = dz.length(); i < n; i++) {
            int j = i % width;
            db.set(j, db.get(j) + dz.get(i));
            db.set(width + j, db.get(width + j) + drec.get(i));
        }
    }
}
