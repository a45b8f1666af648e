package dev.kiln.runtime.reference;

import static dev.kiln.runtime.reference.RecurrentCells.add;
import static dev.kiln.runtime.reference.RecurrentCells.back;
import static dev.kiln.runtime.reference.RecurrentCells.initialState;
import static dev.kiln.runtime.reference.RecurrentCells.row;
import static dev.kiln.runtime.reference.RecurrentCells.outer;
import static dev.kiln.runtime.reference.RecurrentCells.plus;
import static dev.kiln.runtime.reference.RecurrentCells.times;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.LSTMConfig;
import dev.kiln.runtime.reference.RecurrentCells.Sequence;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code LSTM} one sample and one step at a time: {@code z = b + x W + h U} in blocks {@code [i, f, c, o]},
 * {@code c = f c + i act(z_c)}, {@code h = o act(c)}, from the initial states {@code h} and {@code c} (inputs 1 and 2)
 * or zeros; with {@code returnState} the states after the last step are its parts; backward by the chain rule through
 * the same steps in reverse, from the final states' gradients to the initial states'.
 */
@AutoService(LayerReference.class)
public final class LSTMReference implements LayerReference<LSTMConfig> {
    @Override
    public Class<LSTMConfig> configType() {
        return LSTMConfig.class;
    }

    /** Every step's pre-activations {@code [b][s][4u]} (null for a skipped step), cell states and states. */
    private record Trace(double[][][] pre, double[][][] cell, double[][][] h) {
    }

    private static Trace run(LSTMConfig c, Sequence q, INDArray[] inputs, LayerWeights w, double[] y) {
        int u = c.units();
        double[] kernel = Naive.values(w.get("kernel"));
        double[] recurrent = Naive.values(w.get("recurrent_kernel"));
        double[] bias = c.useBias() ? Naive.values(w.get("bias")) : new double[4 * u];
        Trace t = new Trace(new double[q.batch()][q.steps()][], new double[q.batch()][q.steps()][],
                new double[q.batch()][q.steps()][]);
        for (int b = 0; b < q.batch(); b++) {
            double[] h = initialState(inputs, 0, b, u);
            double[] cell = initialState(inputs, 1, b, u);
            for (int s = 0; s < q.steps(); s++) {
                if (!q.keeps(b, s)) {
                    t.cell()[b][s] = cell;
                    t.h()[b][s] = h;
                    q.output(y, b, s, h);
                    continue;
                }
                double[] z = plus(bias, plus(times(q.input(b, s), kernel, 4 * u, 0, 4 * u),
                        times(h, recurrent, 4 * u, 0, 4 * u)));
                double[] next = new double[u];
                h = new double[u];
                for (int j = 0; j < u; j++) {
                    double i = ActivationFunctions.apply(c.recurrentActivation(), z[j]);
                    double f = ActivationFunctions.apply(c.recurrentActivation(), z[u + j]);
                    double g = ActivationFunctions.apply(c.activation(), z[2 * u + j]);
                    double o = ActivationFunctions.apply(c.recurrentActivation(), z[3 * u + j]);
                    next[j] = f * cell[j] + i * g;
                    h[j] = o * ActivationFunctions.apply(c.activation(), next[j]);
                }
                cell = next;
                t.pre()[b][s] = z;
                t.cell()[b][s] = cell;
                t.h()[b][s] = h;
                q.output(y, b, s, h);
            }
        }
        return t;
    }

    @Override
    public INDArray forward(LSTMConfig c, INDArray[] inputs, LayerWeights w) {
        return forward(c, inputs, null, w);
    }

    @Override
    public INDArray[] backward(LSTMConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        return backward(c, inputs, null, output, dy, w);
    }

    @Override
    public INDArray forward(LSTMConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        return forwardValues(c, inputs, mask, w)[0];
    }

    @Override
    public INDArray[] forwardValues(LSTMConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        Sequence q = Sequence.of(inputs[0], mask, c.units(), c.returnSequences(), c.goBackwards());
        double[] y = new double[q.outputLength()];
        Trace t = run(c, q, inputs, w, y);
        INDArray out = Naive.array(y, q.outputShape(), inputs[0]);
        return c.returnState() ? new INDArray[] {out, RecurrentCells.last(t.h(), out),
            RecurrentCells.last(t.cell(), out)} : new INDArray[] {out};
    }

    @Override
    public INDArray[] backward(LSTMConfig c, INDArray[] inputs, INDArray mask, INDArray output, INDArray dy,
            LayerWeights w) {
        return backwardValues(c, inputs, mask, new INDArray[] {output}, new INDArray[] {dy}, w);
    }

    @Override
    public INDArray[] backwardValues(LSTMConfig c, INDArray[] inputs, INDArray mask, INDArray[] values,
            INDArray[] dValues, LayerWeights w) {
        int u = c.units();
        Sequence q = Sequence.of(inputs[0], mask, u, c.returnSequences(), c.goBackwards());
        Trace t = run(c, q, inputs, w, new double[q.outputLength()]);
        INDArray dFinalH = dValues.length > 1 ? dValues[1] : null;
        INDArray dFinalC = dValues.length > 2 ? dValues[2] : null;
        double[] kernel = Naive.values(w.get("kernel"));
        double[] recurrent = Naive.values(w.get("recurrent_kernel"));
        double[] g = dValues[0] == null ? new double[q.outputLength()] : Naive.values(dValues[0]);
        double[] dKernel = new double[kernel.length];
        double[] dRecurrent = new double[recurrent.length];
        double[] dBias = new double[4 * u];
        double[] dx = new double[q.x().length];
        double[][][] dStates = new double[2][q.batch()][];
        for (int b = 0; b < q.batch(); b++) {
            double[] dh = row(dFinalH, b, u);
            double[] dc = row(dFinalC, b, u);
            for (int s = q.steps() - 1; s >= 0; s--) {
                dh = plus(dh, q.outputGradient(g, b, s));
                if (!q.keeps(b, s)) {
                    continue; // the state passed through: so do dh and dc
                }
                double[] z = t.pre()[b][s];
                double[] cell = t.cell()[b][s];
                double[] cellPrev = s > 0 ? t.cell()[b][s - 1] : initialState(inputs, 1, b, u);
                double[] dz = new double[4 * u];
                for (int j = 0; j < u; j++) {
                    double i = ActivationFunctions.apply(c.recurrentActivation(), z[j]);
                    double f = ActivationFunctions.apply(c.recurrentActivation(), z[u + j]);
                    double gg = ActivationFunctions.apply(c.activation(), z[2 * u + j]);
                    double o = ActivationFunctions.apply(c.recurrentActivation(), z[3 * u + j]);
                    double dCell = dc[j] + dh[j] * o * ActivationFunctions.derivative(c.activation(), cell[j]);
                    dz[j] = dCell * gg * ActivationFunctions.derivative(c.recurrentActivation(), z[j]);
                    dz[u + j] = dCell * cellPrev[j] * ActivationFunctions.derivative(c.recurrentActivation(), z[u + j]);
                    dz[2 * u + j] = dCell * i * ActivationFunctions.derivative(c.activation(), z[2 * u + j]);
                    dz[3 * u + j] = dh[j] * ActivationFunctions.apply(c.activation(), cell[j])
                            * ActivationFunctions.derivative(c.recurrentActivation(), z[3 * u + j]);
                    dc[j] = dCell * f;
                }
                double[] hPrev = s > 0 ? t.h()[b][s - 1] : initialState(inputs, 0, b, u);
                outer(dKernel, q.input(b, s), dz, 4 * u, 0);
                outer(dRecurrent, hPrev, dz, 4 * u, 0);
                add(dBias, 0, dz);
                q.addInputGradient(dx, b, s, back(dz, kernel, q.features(), 4 * u, 0));
                dh = back(dz, recurrent, u, 4 * u, 0);
            }
            dStates[0][b] = dh;
            dStates[1][b] = dc;
        }
        return RecurrentCells.gradients(w, c.useBias(), dKernel, dRecurrent, dBias, dx, inputs, dStates);
    }
}
