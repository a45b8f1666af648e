package dev.kiln.runtime.reference;

import static dev.kiln.runtime.reference.RecurrentCells.add;
import static dev.kiln.runtime.reference.RecurrentCells.back;
import static dev.kiln.runtime.reference.RecurrentCells.initialState;
import static dev.kiln.runtime.reference.RecurrentCells.row;
import static dev.kiln.runtime.reference.RecurrentCells.outer;
import static dev.kiln.runtime.reference.RecurrentCells.plus;
import static dev.kiln.runtime.reference.RecurrentCells.slice;
import static dev.kiln.runtime.reference.RecurrentCells.times;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.GRUConfig;
import dev.kiln.runtime.reference.RecurrentCells.Sequence;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 3's {@code GRU} ({@code reset_after=True}) one sample and one step at a time: {@code xz = b_in + x W},
 * {@code hz = b_rec + h U}, {@code z, r = sigma(xz + hz)}, {@code hh = act(xz_h + r hz_h)},
 * {@code h = z h + (1 - z) hh}; backward by the chain rule through the same steps in reverse.
 */
@AutoService(LayerReference.class)
public final class GRUReference implements LayerReference<GRUConfig> {
    @Override
    public Class<GRUConfig> configType() {
        return GRUConfig.class;
    }

    /** Every step's input and recurrent projections {@code [b][s][3u]} and states {@code [b][s][u]}. */
    private record Trace(double[][][] xz, double[][][] hz, double[][][] h) {
    }

    private static Trace run(GRUConfig c, Sequence q, INDArray[] inputs, LayerWeights w, double[] y) {
        int u = c.units();
        double[] kernel = Naive.values(w.get("kernel"));
        double[] recurrent = Naive.values(w.get("recurrent_kernel"));
        double[] bias = c.useBias() ? Naive.values(w.get("bias")) : new double[6 * u];
        Trace t = new Trace(new double[q.batch()][q.steps()][], new double[q.batch()][q.steps()][],
                new double[q.batch()][q.steps()][]);
        for (int b = 0; b < q.batch(); b++) {
            double[] h = initialState(inputs, 0, b, u);
            for (int s = 0; s < q.steps(); s++) {
                if (!q.keeps(b, s)) {
                    t.h()[b][s] = h;
                    q.output(y, b, s, h);
                    continue;
                }
                double[] xz = plus(slice(bias, 0, 3 * u), times(q.input(b, s), kernel, 3 * u, 0, 3 * u));
                double[] hz = plus(slice(bias, 3 * u, 3 * u), times(h, recurrent, 3 * u, 0, 3 * u));
                double[] next = new double[u];
                for (int j = 0; j < u; j++) {
                    double z = ActivationFunctions.apply(c.recurrentActivation(), xz[j] + hz[j]);
                    double r = ActivationFunctions.apply(c.recurrentActivation(), xz[u + j] + hz[u + j]);
                    double hh = ActivationFunctions.apply(c.activation(), xz[2 * u + j] + r * hz[2 * u + j]);
                    next[j] = z * h[j] + (1 - z) * hh;
                }
                h = next;
                t.xz()[b][s] = xz;
                t.hz()[b][s] = hz;
                t.h()[b][s] = h;
                q.output(y, b, s, h);
            }
        }
        return t;
    }

    @Override
    public INDArray forward(GRUConfig c, INDArray[] inputs, LayerWeights w) {
        return forward(c, inputs, null, w);
    }

    @Override
    public INDArray[] backward(GRUConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        return backward(c, inputs, null, output, dy, w);
    }

    @Override
    public INDArray forward(GRUConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        return forwardValues(c, inputs, mask, w)[0];
    }

    @Override
    public INDArray[] forwardValues(GRUConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        Sequence q = Sequence.of(inputs[0], mask, c.units(), c.returnSequences(), c.goBackwards());
        double[] y = new double[q.outputLength()];
        Trace t = run(c, q, inputs, w, y);
        INDArray out = Naive.array(y, q.outputShape(), inputs[0]);
        return c.returnState() ? new INDArray[] {out, RecurrentCells.last(t.h(), out)} : new INDArray[] {out};
    }

    @Override
    public INDArray[] backward(GRUConfig c, INDArray[] inputs, INDArray mask, INDArray output, INDArray dy,
            LayerWeights w) {
        return backwardValues(c, inputs, mask, new INDArray[] {output}, new INDArray[] {dy}, w);
    }

    @Override
    public INDArray[] backwardValues(GRUConfig c, INDArray[] inputs, INDArray mask, INDArray[] values,
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
        double[] dBias = new double[6 * u];
        double[] dx = new double[q.x().length];
        double[][][] dStates = new double[1][q.batch()][];
        for (int b = 0; b < q.batch(); b++) {
            double[] dh = row(dFinalH, b, u);
            for (int s = q.steps() - 1; s >= 0; s--) {
                dh = plus(dh, q.outputGradient(g, b, s));
                if (!q.keeps(b, s)) {
                    continue; // the state passed through: so does dh
                }
                double[] xz = t.xz()[b][s];
                double[] hz = t.hz()[b][s];
                double[] hPrev = s > 0 ? t.h()[b][s - 1] : initialState(inputs, 0, b, u);
                double[] dxz = new double[3 * u];
                double[] dhz = new double[3 * u];
                double[] dhPrev = new double[u];
                for (int j = 0; j < u; j++) {
                    double z = ActivationFunctions.apply(c.recurrentActivation(), xz[j] + hz[j]);
                    double r = ActivationFunctions.apply(c.recurrentActivation(), xz[u + j] + hz[u + j]);
                    double preH = xz[2 * u + j] + r * hz[2 * u + j];
                    double hh = ActivationFunctions.apply(c.activation(), preH);
                    double dPreH = dh[j] * (1 - z) * ActivationFunctions.derivative(c.activation(), preH);
                    double dPreR = dPreH * hz[2 * u + j]
                            * ActivationFunctions.derivative(c.recurrentActivation(), xz[u + j] + hz[u + j]);
                    double dPreZ = dh[j] * (hPrev[j] - hh)
                            * ActivationFunctions.derivative(c.recurrentActivation(), xz[j] + hz[j]);
                    dxz[j] = dPreZ;
                    dxz[u + j] = dPreR;
                    dxz[2 * u + j] = dPreH;
                    dhz[j] = dPreZ;
                    dhz[u + j] = dPreR;
                    dhz[2 * u + j] = dPreH * r;
                    dhPrev[j] = dh[j] * z;
                }
                outer(dKernel, q.input(b, s), dxz, 3 * u, 0);
                outer(dRecurrent, hPrev, dhz, 3 * u, 0);
                add(dBias, 0, dxz);
                add(dBias, 3 * u, dhz);
                q.addInputGradient(dx, b, s, back(dxz, kernel, q.features(), 3 * u, 0));
                dh = plus(dhPrev, back(dhz, recurrent, u, 3 * u, 0));
            }
            dStates[0][b] = dh;
        }
        return RecurrentCells.gradients(w, c.useBias(), dKernel, dRecurrent, dBias, dx, inputs, dStates);
    }
}
