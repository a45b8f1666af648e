package dev.kiln.runtime.kernel;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 3's dropout inside a recurrent layer ({@code keras/src/layers/rnn/dropout_rnn_cell.py}): masks drawn once per
 * call, one per sample, and reused at every step; {@code dropout} masks the input of the kernel's projection,
 * {@code recurrentDropout} the previous state of the recurrent kernel's. A gated cell with {@code recurrentDropout > 0}
 * runs Keras's {@code implementation = 1}: one mask per gate block for each of the two ({@code dropout_mask_count}), so
 * gate block {@code k} reads {@code x * mask_k} and {@code h_{t-1} * recurrentMask_k}; otherwise one input mask serves
 * every block and there is no recurrent mask.
 *
 * <p>A mask buffer holds one sample's {@code (count, width)}: {@code (batch, count, width)} in all, each entry 0 or
 * {@code 1 / (1 - rate)}; {@code count} is 1 (one mask for every block) or the number of gate blocks. Masks are drawn
 * input masks first, then recurrent ones, each in buffer order. Scratch buffers: {@code xScratch} of the input's
 * sequence shape {@code (steps, in)}, {@code zScratch} of the gates' {@code (steps, blocks * units)},
 * {@code hScratch} and {@code dhScratch} of the state's {@code (units)}; null where the masks in use need none.
 */
final class RecurrentDropout {
    private RecurrentDropout() {
    }

    /** Fills {@code masks} with Keras's inverted-dropout scales: 0 with probability {@code rate}, else 1/(1 - rate). */
    static void draw(INDArray masks, double rate, SplittableRandom random) {
        Vec m = Vec.of(masks);
        double scale = 1 / (1 - rate);
        for (int i = 0, n = m.length(); i < n; i++) {
            m.set(i, random.nextDouble() >= rate ? scale : 0);
        }
    }

    /** How many masks a buffer holds per sample: 1, or one per gate block. */
    static int count(INDArray masks) {
        return Math.toIntExact(masks.size(1));
    }

    /** {@code dst[r, :] = src[r, :] * masks[r % batch, k, :]} over time-major rows, or {@code +=} with accumulate. */
    static void scaleRows(INDArray src, INDArray masks, int k, int batch, INDArray dst, boolean accumulate) {
        Vec in = Vec.of(src);
        Vec out = Vec.of(dst);
        Vec m = Vec.of(masks);
        int width = Math.toIntExact(masks.size(2));
        int count = count(masks);
        for (int i = 0, n = in.length(); i < n; i++) {
            int row = i / width;
            double v = in.get(i) * m.get(((row % batch) * count + k) * width + i % width);
            out.set(i, accumulate ? out.get(i) + v : v);
        }
    }

    /** {@code dst = src} in column block {@code k} of {@code blocks} and zero elsewhere (a gradient for one block). */
    static void keepBlock(INDArray src, int k, int blocks, INDArray dst) {
        Vec in = Vec.of(src);
        Vec out = Vec.of(dst);
        int width = Math.toIntExact(src.size(src.rank() - 1));
        int units = width / blocks;
        for (int i = 0, n = in.length(); i < n; i++) {
            out.set(i, (i % width) / units == k ? in.get(i) : 0);
        }
    }

    /** {@code dst[:, block k] = src[:, block k]} (or {@code +=}): one gate block of a projection. */
    static void copyBlock(INDArray src, int k, int blocks, INDArray dst, boolean accumulate) {
        Vec in = Vec.of(src);
        Vec out = Vec.of(dst);
        int width = Math.toIntExact(src.size(src.rank() - 1));
        int units = width / blocks;
        for (int row = 0, rows = in.length() / width; row < rows; row++) {
            for (int j = row * width + k * units, end = j + units; j < end; j++) {
                out.set(j, accumulate ? out.get(j) + in.get(j) : in.get(j));
            }
        }
    }

    /**
     * The input projection {@code gateRows = x' @ kernel} of every step ({@code xs} time-major, {@code (steps * batch,
     * in)} as rows), where {@code x'} is {@code x} dropped by {@code masks} (null: none). One shared mask scales
     * {@code xs} in place, so that backward's {@code dKernel = xs^T dz} reads the dropped input; per-block masks keep
     * {@code xs} as it was and project each block from its own dropped copy.
     */
    static void project(INDArray xs, INDArray masks, INDArray kernel, INDArray gateRows, int batch, int blocks,
            INDArray xScratch, INDArray zScratch) {
        INDArray xRows = Sequences.rows(xs, kernel.size(0));
        if (masks == null) {
            Kernels.gemm(xRows, kernel, gateRows, false, false);
        } else if (count(masks) == 1) {
            scaleRows(xRows, masks, 0, batch, xRows, false);
            Kernels.gemm(xRows, kernel, gateRows, false, false);
        } else {
            INDArray dropped = Sequences.rows(xScratch, kernel.size(0));
            boolean direct = Blas.direct(dropped, kernel, gateRows);
            INDArray projected = direct ? null : Sequences.rows(zScratch, kernel.size(1));
            int rows = Math.toIntExact(xRows.size(0));
            int in = Math.toIntExact(kernel.size(0));
            int units = Math.toIntExact(kernel.size(1)) / blocks;
            for (int k = 0; k < blocks; k++) {
                scaleRows(xRows, masks, k, batch, dropped, false);
                if (direct) { // block k of the gates from block k of the kernel's columns only
                    Blas.gemmBlock(dropped, 0, kernel, (long) k * units, gateRows, (long) k * units, rows, units, in,
                            false, false, 0);
                } else {
                    Kernels.gemm(dropped, kernel, projected, false, false);
                    copyBlock(projected, k, blocks, gateRows, false);
                }
            }
        }
    }

    /**
     * The gradients through {@link #project}, as {@link Sequences#inputSideGradients} computes them without masks:
     * {@code dKernel}, {@code dBias} (null when the layer has its own bias gradient), and {@code dx} through
     * {@code dxs}.
     */
    static void projectBackward(INDArray kernel, INDArray xs, INDArray dzRows, INDArray masks, INDArray dKernel,
            INDArray dBias, INDArray dxs, INDArray dx, boolean goBackwards, boolean accumulateWeights,
            boolean accumulateInput, int batch, int blocks, INDArray xScratch, INDArray zScratch) {
        if (masks == null) {
            Sequences.inputSideGradients(kernel, xs, dzRows, dKernel, dBias, dxs, dx, goBackwards, accumulateWeights,
                    accumulateInput);
            return;
        }
        long in = kernel.size(0);
        if (count(masks) == 1) {
            Sequences.inputSideGradients(kernel, xs, dzRows, dKernel, dBias, null, null, goBackwards,
                    accumulateWeights, accumulateInput);
            if (dx != null) {
                INDArray dxRows = Sequences.rows(dxs, in);
                Kernels.gemm(dzRows, kernel, dxRows, false, true);
                scaleRows(dxRows, masks, 0, batch, dxRows, false);
                Sequences.toBatchMajor(dxs, dx, goBackwards, accumulateInput);
            }
            return;
        }
        if (dBias != null) {
            Kernels.biasGradient(dzRows, dBias, accumulateWeights);
        }
        INDArray xRows = Sequences.rows(xs, in);
        INDArray dropped = Sequences.rows(xScratch, in);
        if (Blas.direct(dropped, kernel, dzRows) && (dKernel == null || Blas.direct(dropped, dzRows, dKernel))) {
            // Each gate block's gradients from its own columns of dz and of the kernel.
            int rows = Math.toIntExact(xRows.size(0));
            int width = Math.toIntExact(in);
            int units = Math.toIntExact(kernel.size(1)) / blocks;
            for (int k = 0; k < blocks; k++) {
                long block = (long) k * units;
                if (dKernel != null) {
                    scaleRows(xRows, masks, k, batch, dropped, false);
                    Blas.gemmBlock(dropped, 0, dzRows, block, dKernel, block, width, units, rows, true, false,
                            accumulateWeights ? 1 : 0);
                }
                if (dx != null) {
                    Blas.gemmBlock(dzRows, block, kernel, block, dropped, 0, rows, width, units, false, true, 0);
                    scaleRows(dropped, masks, k, batch, Sequences.rows(dxs, in), k > 0);
                }
            }
            if (dx != null) {
                Sequences.toBatchMajor(dxs, dx, goBackwards, accumulateInput);
            }
            return;
        }
        INDArray blockGrad = Sequences.rows(zScratch, kernel.size(1));
        for (int k = 0; k < blocks; k++) {
            keepBlock(dzRows, k, blocks, blockGrad);
            if (dKernel != null) {
                scaleRows(xRows, masks, k, batch, dropped, false);
                if (k > 0 || accumulateWeights) {
                    Kernels.gemmAccumulate(dropped, blockGrad, dKernel, true, false);
                } else {
                    Kernels.gemm(dropped, blockGrad, dKernel, true, false);
                }
            }
            if (dx != null) {
                Kernels.gemm(blockGrad, kernel, dropped, false, true);
                scaleRows(dropped, masks, k, batch, Sequences.rows(dxs, in), k > 0);
            }
        }
        if (dx != null) {
            Sequences.toBatchMajor(dxs, dx, goBackwards, accumulateInput);
        }
    }

    /**
     * One step's recurrent projection {@code out = h' @ recurrentKernel} (or {@code +=} with {@code accumulate}),
     * {@code hPrev} and {@code out} that step's {@code (batch, .)} rows, {@code h'} the previous state dropped by
     * {@code masks} (null: none; one mask for every block, or one per block).
     */
    static void recurrent(INDArray hPrev, INDArray masks, INDArray recurrentKernel, INDArray out, boolean accumulate,
            int blocks, INDArray hScratch, INDArray zScratch) {
        if (masks == null) {
            if (accumulate) {
                Kernels.gemmAccumulate(hPrev, recurrentKernel, out, false, false);
            } else {
                Kernels.gemm(hPrev, recurrentKernel, out, false, false);
            }
            return;
        }
        int batch = Math.toIntExact(hPrev.size(0));
        INDArray dropped = Sequences.rows(hScratch, hPrev.size(1));
        if (count(masks) == 1) {
            scaleRows(hPrev, masks, 0, batch, dropped, false);
            recurrent(dropped, null, recurrentKernel, out, accumulate, blocks, null, null);
            return;
        }
        if (Blas.direct(dropped, recurrentKernel, out)) {
            int width = Math.toIntExact(hPrev.size(1));
            int units = Math.toIntExact(recurrentKernel.size(1)) / blocks;
            for (int k = 0; k < blocks; k++) { // block k from block k of the recurrent kernel's columns only
                scaleRows(hPrev, masks, k, batch, dropped, false);
                Blas.gemmBlock(dropped, 0, recurrentKernel, (long) k * units, out, (long) k * units, batch, units,
                        width, false, false, accumulate ? 1 : 0);
            }
            return;
        }
        INDArray projected = Sequences.step(Sequences.rows(zScratch, out.size(1)), batch, 0);
        for (int k = 0; k < blocks; k++) {
            scaleRows(hPrev, masks, k, batch, dropped, false);
            Kernels.gemm(dropped, recurrentKernel, projected, false, false);
            copyBlock(projected, k, blocks, out, accumulate);
        }
    }

    /**
     * The gradients through one step's {@link #recurrent}: {@code dRecurrentKernel += h'^T @ dz} (unless null) and
     * {@code dh += (dz @ recurrentKernel^T) * mask}, block by block with per-block masks.
     */
    static void recurrentBackward(INDArray hPrev, INDArray masks, INDArray recurrentKernel, INDArray dz,
            INDArray dh, INDArray dRecurrentKernel, int blocks, INDArray hScratch, INDArray zScratch,
            INDArray dhScratch) {
        if (masks == null) {
            if (dRecurrentKernel != null) {
                Kernels.gemmAccumulate(hPrev, dz, dRecurrentKernel, true, false);
            }
            Kernels.gemmAccumulate(dz, recurrentKernel, dh, false, true);
            return;
        }
        int batch = Math.toIntExact(hPrev.size(0));
        INDArray dropped = Sequences.rows(hScratch, hPrev.size(1));
        INDArray dhDropped = Sequences.rows(dhScratch, hPrev.size(1));
        boolean shared = count(masks) == 1;
        if (!shared && Blas.direct(dz, recurrentKernel, dhDropped)
                && (dRecurrentKernel == null || Blas.direct(dropped, dz, dRecurrentKernel))) {
            int width = Math.toIntExact(hPrev.size(1));
            int units = Math.toIntExact(recurrentKernel.size(1)) / blocks;
            for (int k = 0; k < blocks; k++) { // each block through its own columns of dz and the recurrent kernel
                long block = (long) k * units;
                if (dRecurrentKernel != null) {
                    scaleRows(hPrev, masks, k, batch, dropped, false);
                    Blas.gemmBlock(dropped, 0, dz, block, dRecurrentKernel, block, width, units, batch, true, false,
                            1);
                }
                Blas.gemmBlock(dz, block, recurrentKernel, block, dhDropped, 0, batch, width, units, false, true, 0);
                scaleRows(dhDropped, masks, k, batch, dh, true);
            }
            return;
        }
        INDArray blockGrad = shared ? dz : Sequences.step(Sequences.rows(zScratch, dz.size(1)), batch, 0);
        for (int k = 0; k < (shared ? 1 : blocks); k++) {
            if (!shared) {
                keepBlock(dz, k, blocks, blockGrad);
            }
            if (dRecurrentKernel != null) {
                scaleRows(hPrev, masks, k, batch, dropped, false);
                Kernels.gemmAccumulate(dropped, blockGrad, dRecurrentKernel, true, false);
            }
            Kernels.gemm(blockGrad, recurrentKernel, dhDropped, false, true);
            scaleRows(dhDropped, masks, k, batch, dh, true);
        }
    }
}
