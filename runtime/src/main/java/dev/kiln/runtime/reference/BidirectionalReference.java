package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.BidirectionalConfig;
import dev.kiln.runtime.layer.LayerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code Bidirectional} as {@code bidirectional.py} writes it: the wrapped layer's reference run forwards and
 * with {@code go_backwards} flipped, each on its own weights ({@code forward_lstm/...}, {@code backward_lstm/...});
 * with {@code return_sequences} the backward output flipped along the steps and the masked steps zeros
 * ({@code zero_output_for_mask}); then concatenated, summed, multiplied or averaged, element by element. Initial
 * states (inputs after the sequence) feed the forward copy's half first, then the backward copy's; with
 * {@code returnState} the parts are the forward copy's final states, then the backward copy's.
 */
@AutoService(LayerReference.class)
public final class BidirectionalReference implements LayerReference<BidirectionalConfig> {
    @Override
    public Class<BidirectionalConfig> configType() {
        return BidirectionalConfig.class;
    }

    @Override
    public INDArray forward(BidirectionalConfig c, INDArray[] inputs, LayerWeights w) {
        return forward(c, inputs, null, w);
    }

    @Override
    public INDArray[] backward(BidirectionalConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        return backward(c, inputs, null, output, dy, w);
    }

    private static LayerWeights half(BidirectionalConfig c, boolean forward, LayerWeights w) {
        return new LayerWeights(w.owner() + "/" + c.prefix(forward), w.weights(), w.gradients());
    }

    /** Every value of one copy (its output, then its final states), on the sequence and its half of the states. */
    private static <C extends LayerConfig> INDArray[] run(C config, INDArray[] inputs, boolean forward,
            INDArray mask, LayerWeights w) {
        return References.forConfig(config).forwardValues(config, half(inputs, forward), mask, w);
    }

    /** One copy's backward pass from the gradients of its values; its inputs' gradients (sequence, its states). */
    private static <C extends LayerConfig> INDArray[] back(C config, INDArray[] inputs, boolean forward, INDArray mask,
            INDArray[] values, INDArray[] dValues, LayerWeights w) {
        return References.forConfig(config).backwardValues(config, half(inputs, forward), mask, values, dValues, w);
    }

    /** The sequence and one copy's initial states: the first half of the states for the forward copy. */
    private static INDArray[] half(INDArray[] inputs, boolean forward) {
        int states = (inputs.length - 1) / 2;
        INDArray[] out = new INDArray[1 + states];
        out[0] = inputs[0];
        System.arraycopy(inputs, forward ? 1 : 1 + states, out, 1, states);
        return out;
    }

    /** {@code y[b, t, j]} of a rank-2 or rank-3 output, with the backward copy's steps flipped and masked steps 0. */
    private static double at(INDArray y, INDArray mask, boolean flip, int b, int t, int j) {
        if (y.rank() == 2) {
            return y.getDouble(b, j);
        }
        int steps = (int) y.size(1);
        if (mask != null && mask.getDouble(b, t) == 0) {
            return 0;
        }
        return y.getDouble(b, flip ? steps - 1 - t : t, j);
    }

    @Override
    public INDArray forward(BidirectionalConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        return forwardValues(c, inputs, mask, w)[0];
    }

    @Override
    public INDArray[] forwardValues(BidirectionalConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        INDArray[] fv = run(c.forwardLayer(), inputs, true, mask, half(c, true, w));
        INDArray[] bv = run(c.backwardLayer(), inputs, false, mask, half(c, false, w));
        INDArray[] out = new INDArray[fv.length + bv.length - 1];
        out[0] = merge(c, fv[0], bv[0], mask);
        System.arraycopy(fv, 1, out, 1, fv.length - 1);
        System.arraycopy(bv, 1, out, fv.length, bv.length - 1);
        return out;
    }

    /** The two copies' outputs merged by the merge mode. */
    private static INDArray merge(BidirectionalConfig c, INDArray f, INDArray b, INDArray mask) {
        boolean seq = f.rank() == 3;
        int units = (int) f.size(f.rank() - 1);
        int steps = seq ? (int) f.size(1) : 1;
        int batch = (int) f.size(0);
        int width = c.mergeMode() == dev.kiln.dsl.MergeMode.CONCAT ? 2 * units : units;
        INDArray y = Nd4j.zeros(f.dataType(), seq ? new long[] {batch, steps, width} : new long[] {batch, width});
        for (int s = 0; s < batch; s++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < units; j++) {
                    double fv = at(f, mask, false, s, t, j);
                    double bv = at(b, mask, true, s, t, j);
                    switch (c.mergeMode()) {
                        case CONCAT -> {
                            put(y, seq, s, t, j, fv);
                            put(y, seq, s, t, units + j, bv);
                        }
                        case SUM -> put(y, seq, s, t, j, fv + bv);
                        case MUL -> put(y, seq, s, t, j, fv * bv);
                        case AVE -> put(y, seq, s, t, j, (fv + bv) / 2);
                        default -> throw new IllegalStateException();
                    }
                }
            }
        }
        return y;
    }

    private static void put(INDArray y, boolean seq, int b, int t, int j, double v) {
        if (seq) {
            y.putScalar(new long[] {b, t, j}, v);
        } else {
            y.putScalar(new long[] {b, j}, v);
        }
    }

    private static double get(INDArray y, boolean seq, int b, int t, int j) {
        return seq ? y.getDouble(b, t, j) : y.getDouble(b, j);
    }

    @Override
    public INDArray[] backward(BidirectionalConfig c, INDArray[] inputs, INDArray mask, INDArray output, INDArray dy,
            LayerWeights w) {
        return backwardValues(c, inputs, mask, new INDArray[] {output}, new INDArray[] {dy}, w);
    }

    @Override
    public INDArray[] backwardValues(BidirectionalConfig c, INDArray[] inputs, INDArray mask, INDArray[] values,
            INDArray[] dValues, LayerWeights w) {
        LayerWeights wf = half(c, true, w);
        LayerWeights wb = half(c, false, w);
        INDArray[] fv = run(c.forwardLayer(), inputs, true, mask, wf);
        INDArray[] bv = run(c.backwardLayer(), inputs, false, mask, wb);
        INDArray f = fv[0];
        INDArray b = bv[0];
        INDArray dy = dValues[0] != null ? dValues[0] : merge(c, f, b, mask).assign(0);
        boolean seq = f.rank() == 3;
        int units = (int) f.size(f.rank() - 1);
        int steps = seq ? (int) f.size(1) : 1;
        int batch = (int) f.size(0);
        INDArray df = f.ulike().assign(0);
        INDArray db = b.ulike().assign(0);
        for (int s = 0; s < batch; s++) {
            for (int t = 0; t < steps; t++) {
                if (seq && mask != null && mask.getDouble(s, t) == 0) {
                    continue; // zeros in the output: no gradient reaches either copy
                }
                int tb = seq ? steps - 1 - t : t;
                for (int j = 0; j < units; j++) {
                    double gf;
                    double gb;
                    switch (c.mergeMode()) {
                        case CONCAT -> {
                            gf = get(dy, seq, s, t, j);
                            gb = get(dy, seq, s, t, units + j);
                        }
                        case SUM -> {
                            gf = get(dy, seq, s, t, j);
                            gb = gf;
                        }
                        case MUL -> {
                            gf = get(dy, seq, s, t, j) * get(b, seq, s, tb, j);
                            gb = get(dy, seq, s, t, j) * get(f, seq, s, t, j);
                        }
                        case AVE -> {
                            gf = get(dy, seq, s, t, j) / 2;
                            gb = gf;
                        }
                        default -> throw new IllegalStateException();
                    }
                    put(df, seq, s, t, j, gf);
                    put(db, seq, s, tb, j, gb);
                }
            }
        }
        INDArray[] dfv = new INDArray[fv.length];
        INDArray[] dbv = new INDArray[bv.length];
        dfv[0] = df;
        dbv[0] = db;
        for (int i = 1; i < fv.length; i++) {
            dfv[i] = i < dValues.length ? dValues[i] : null;
            dbv[i] = fv.length - 1 + i < dValues.length ? dValues[fv.length - 1 + i] : null;
        }
        INDArray[] dxF = back(c.forwardLayer(), inputs, true, mask, fv, dfv, wf);
        INDArray[] dxB = back(c.backwardLayer(), inputs, false, mask, bv, dbv, wb);
        INDArray[] out = new INDArray[inputs.length];
        out[0] = dxF[0].add(dxB[0]);
        System.arraycopy(dxF, 1, out, 1, dxF.length - 1);
        System.arraycopy(dxB, 1, out, dxF.length, dxB.length - 1);
        return out;
    }
}
