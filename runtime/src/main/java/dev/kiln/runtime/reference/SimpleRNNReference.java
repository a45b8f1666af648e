package dev.kiln.runtime.reference;

import static dev.kiln.runtime.reference.RecurrentCells.add;
import static dev.kiln.runtime.reference.RecurrentCells.apply;
import static dev.kiln.runtime.reference.RecurrentCells.back;
import static dev.kiln.runtime.reference.RecurrentCells.initialState;
import static dev.kiln.runtime.reference.RecurrentCells.row;
import static dev.kiln.runtime.reference.RecurrentCells.outer;
import static dev.kiln.runtime.reference.RecurrentCells.plus;
import static dev.kiln.runtime.reference.RecurrentCells.times;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.SimpleRNNConfig;
import dev.kiln.runtime.reference.RecurrentCells.Sequence;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code SimpleRNN} one sample and one step at a time: {@code h = act(b + x W + h U)}. */
@AutoService(LayerReference.class)
public final class SimpleRNNReference implements LayerReference<SimpleRNNConfig> {
    @Override
    public Class<SimpleRNNConfig> configType() {
        return SimpleRNNConfig.class;
    }

    /** Every step's pre-activation of every sample, {@code [b][s]} (null for a skipped step), and the states. */
    private record Trace(double[][][] pre, double[][][] h) {
    }

    private static Trace run(SimpleRNNConfig c, Sequence q, INDArray[] inputs, LayerWeights w, double[] y) {
        int u = c.units();
        double[] kernel = Naive.values(w.get("kernel"));
        double[] recurrent = Naive.values(w.get("recurrent_kernel"));
        double[] bias = c.useBias() ? Naive.values(w.get("bias")) : new double[u];
        Trace t = new Trace(new double[q.batch()][q.steps()][], new double[q.batch()][q.steps()][]);
        for (int b = 0; b < q.batch(); b++) {
            double[] h = initialState(inputs, 0, b, u);
            for (int s = 0; s < q.steps(); s++) {
                if (q.keeps(b, s)) {
                    t.pre()[b][s] = plus(bias, plus(times(q.input(b, s), kernel, u, 0, u),
                            times(h, recurrent, u, 0, u)));
                    h = apply(c.activation(), t.pre()[b][s]);
                }
                t.h()[b][s] = h;
                q.output(y, b, s, h);
            }
        }
        return t;
    }

    @Override
    public INDArray forward(SimpleRNNConfig c, INDArray[] inputs, LayerWeights w) {
        return forward(c, inputs, null, w);
    }

    @Override
    public INDArray[] backward(SimpleRNNConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        return backward(c, inputs, null, output, dy, w);
    }

    @Override
    public INDArray forward(SimpleRNNConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        return forwardValues(c, inputs, mask, w)[0];
    }

    @Override
    public INDArray[] forwardValues(SimpleRNNConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        Sequence q = Sequence.of(inputs[0], mask, c.units(), c.returnSequences(), c.goBackwards());
        double[] y = new double[q.outputLength()];
        Trace t = run(c, q, inputs, w, y);
        INDArray out = Naive.array(y, q.outputShape(), inputs[0]);
        return c.returnState() ? new INDArray[] {out, RecurrentCells.last(t.h(), out)} : new INDArray[] {out};
    }

    @Override
    public INDArray[] backward(SimpleRNNConfig c, INDArray[] inputs, INDArray mask, INDArray output, INDArray dy,
            LayerWeights w) {
        return backwardValues(c, inputs, mask, new INDArray[] {output}, new INDArray[] {dy}, w);
    }

    @Override
    public INDArray[] backwardValues(SimpleRNNConfig c, INDArray[] inputs, INDArray mask, INDArray[] values,
            INDArray[] dValues, LayerWeights w) {
        int u = c.units();
        Sequence q = Sequence.of(inputs[0], mask, u, c.returnSequences(), c.goBackwards());
        Trace t = run(c, q, inputs, w, new double[q.outputLength()]);
        INDArray dFinalH = dValues.length > 1 ? dValues[1] : null;
        double[] kernel = Naive.values(w.get("kernel"));
        double[] recurrent = Naive.values(w.get("recurrent_kernel"));
        double[] g = dValues[0] == null ? new double[q.outputLength()] : Naive.values(dValues[0]);
        double[] dKernel = new double[kernel.length];
        double[] dRecurrent = new double[recurrent.length];
        double[] dBias = new double[u];
        double[] dx = new double[q.x().length];
        double[][][] dStates = new double[1][q.batch()][];
        for (int b = 0; b < q.batch(); b++) {
            double[] dh = row(dFinalH, b, u);
            for (int s = q.steps() - 1; s >= 0; s--) {
                dh = plus(dh, q.outputGradient(g, b, s));
                if (!q.keeps(b, s)) {
                    continue; // the state passed through: so does its gradient
                }
                double[] dPre = new double[u];
                for (int j = 0; j < u; j++) {
                    dPre[j] = dh[j] * ActivationFunctions.derivative(c.activation(), t.pre()[b][s][j]);
                }
                double[] hPrev = s > 0 ? t.h()[b][s - 1] : initialState(inputs, 0, b, u);
                outer(dKernel, q.input(b, s), dPre, u, 0);
                outer(dRecurrent, hPrev, dPre, u, 0);
                add(dBias, 0, dPre);
                q.addInputGradient(dx, b, s, back(dPre, kernel, q.features(), u, 0));
                dh = back(dPre, recurrent, u, u, 0);
            }
            dStates[0][b] = dh;
        }
        return RecurrentCells.gradients(w, c.useBias(), dKernel, dRecurrent, dBias, dx, inputs, dStates);
    }
}
