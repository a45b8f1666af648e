package dev.kiln.runtime.kernel;

import dev.kiln.dsl.MergeMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Bidirectional} merge: the forward copy's output {@code yF} and the backward copy's {@code yB}, each
 * {@code (batch, units)} or, with {@code sequences}, {@code (batch, steps, units)}; with sequences {@code yB} is in
 * processing order and is read flipped (Keras's {@code ops.flip(y_rev, axis=1)}), and a step that {@code mask
 * (batch, steps)} marks 0 counts as zeros in both (Keras forces {@code zero_output_for_mask}).
 */
public final class BidirectionalKernel {
    private BidirectionalKernel() {
    }

    /** {@code y = merge(yF, flip(yB))}: concatenated along the last axis, summed, multiplied or averaged. */
    public static void merge(INDArray yF, INDArray yB, INDArray mask, INDArray y, MergeMode mode, boolean sequences) {
        Vec f = Vec.of(yF);
        Vec b = Vec.of(yB);
        Vec out = Vec.of(y);
        Vec m = mask == null ? null : Vec.of(mask);
        int units = Math.toIntExact(yF.size(yF.rank() - 1));
        int steps = sequences ? Math.toIntExact(yF.size(1)) : 1;
        int rows = f.length() / units;
        for (int r = 0; r < rows; r++) {
            int rb = reversedRow(r, steps, sequences);
            boolean kept = !sequences || m == null || m.get(r) != 0;
            for (int j = 0; j < units; j++) {
                double fv = kept ? f.get(r * units + j) : 0;
                double bv = kept ? b.get(rb * units + j) : 0;
                switch (mode) {
                    case CONCAT -> {
                        out.set(r * 2 * units + j, fv);
                        out.set(r * 2 * units + units + j, bv);
                    }
                    case SUM -> out.set(r * units + j, fv + bv);
                    case MUL -> out.set(r * units + j, fv * bv);
                    case AVE -> out.set(r * units + j, (fv + bv) / 2);
                    default -> throw new IllegalArgumentException(mode.name());
                }
            }
        }
    }

    /** The gradients of both copies' outputs from {@code dy}, {@code dyB} in the backward copy's processing order. */
    public static void split(INDArray dy, INDArray yF, INDArray yB, INDArray mask, INDArray dyF, INDArray dyB,
            MergeMode mode, boolean sequences) {
        Vec g = Vec.of(dy);
        Vec f = Vec.of(yF);
        Vec b = Vec.of(yB);
        Vec df = Vec.of(dyF);
        Vec db = Vec.of(dyB);
        Vec m = mask == null ? null : Vec.of(mask);
        int units = Math.toIntExact(yF.size(yF.rank() - 1));
        int steps = sequences ? Math.toIntExact(yF.size(1)) : 1;
        int rows = f.length() / units;
        for (int r = 0; r < rows; r++) {
            int rb = reversedRow(r, steps, sequences);
            boolean kept = !sequences || m == null || m.get(r) != 0;
            for (int j = 0; j < units; j++) {
                double gf;
                double gb;
                switch (mode) {
                    case CONCAT -> {
                        gf = g.get(r * 2 * units + j);
                        gb = g.get(r * 2 * units + units + j);
                    }
                    case SUM -> {
                        gf = g.get(r * units + j);
                        gb = gf;
                    }
                    case MUL -> {
                        gf = g.get(r * units + j) * b.get(rb * units + j);
                        gb = g.get(r * units + j) * f.get(r * units + j);
                    }
                    case AVE -> {
                        gf = g.get(r * units + j) / 2;
                        gb = gf;
                    }
                    default -> throw new IllegalArgumentException(mode.name());
                }
                df.set(r * units + j, kept ? gf : 0);
                db.set(rb * units + j, kept ? gb : 0);
            }
        }
    }

    /** The row of the backward copy's output that lines up with row {@code r} (sample, step) of the merged one. */
    private static int reversedRow(int r, int steps, boolean sequences) {
        if (!sequences) {
            return r;
        }
        int sample = r / steps;
        int t = r % steps;
        return sample * steps + steps - 1 - t;
    }
}
