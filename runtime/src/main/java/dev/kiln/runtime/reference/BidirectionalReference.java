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
 * ({@code zero_output_for_mask}); then concatenated, summed, multiplied or averaged, element by element.
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

    @SuppressWarnings("unchecked")
    private static <C extends LayerConfig> INDArray run(C config, INDArray[] inputs, INDArray mask, LayerWeights w) {
        return References.forConfig(config).forward(config, inputs, mask, w);
    }

    @SuppressWarnings("unchecked")
    private static <C extends LayerConfig> INDArray[] back(C config, INDArray[] inputs, INDArray mask, INDArray y,
            INDArray dy, LayerWeights w) {
        return References.forConfig(config).backward(config, inputs, mask, y, dy, w);
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
        INDArray f = run(c.forwardLayer(), inputs, mask, half(c, true, w));
        INDArray b = run(c.backwardLayer(), inputs, mask, half(c, false, w));
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
        LayerWeights wf = half(c, true, w);
        LayerWeights wb = half(c, false, w);
        INDArray f = run(c.forwardLayer(), inputs, mask, wf);
        INDArray b = run(c.backwardLayer(), inputs, mask, wb);
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
        INDArray[] dxF = back(c.forwardLayer(), inputs, mask, f, df, wf);
        INDArray[] dxB = back(c.backwardLayer(), inputs, mask, b, db, wb);
        return new INDArray[] {dxF[0].add(dxB[0])};
    }
}
