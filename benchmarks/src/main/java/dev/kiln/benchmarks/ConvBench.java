package dev.kiln.benchmarks;

import dev.kiln.runtime.kernel.ConvKernel;
import dev.kiln.runtime.kernel.Kernels;
import dev.kiln.runtime.kernel.NativeConvKernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The candidate kernels of a float32 Conv2D (channels last, kernel {@code (kh, kw, in, out)}) on W2's layer shapes,
 * alternated in one process so that the machine's other load falls on all of them alike: forward ({@code y = conv(x,
 * W)}) and backward ({@code dW}, and {@code dx} unless the input is the data), each into preallocated buffers.
 *
 * <ul>
 *   <li>{@code kiln}: {@code ConvKernel.im2col} + Kiln's striped OpenBLAS GEMM; backward {@code columns^T dy}, {@code
 *       dy W^T} into the columns, {@code col2im};
 *   <li>{@code nd4j-gemm}: the same data movement with {@code Nd4j.gemm} (ND4J's {@code mmul} op: oneDNN's matmul in
 *       the onednn builds) for the GEMMs;
 *   <li>{@code onednn}: ND4J's {@code conv2d} / {@code conv2d_bp} custom ops (NHWC, weights format 0, i.e. Keras's
 *       {@code (kh, kw, in, out)}), outputs preallocated;
 *   <li>{@code shipped}: what {@code ConvRoute} runs now ({@code NativeConvKernel}, the backward in chunks);
 *   <li>{@code dnn+deconv}: conv2d forward; the kernel's gradient by im2col + {@code Nd4j.gemm}, the input's by
 *       {@code deconv2d};
 *   <li>{@code direct}: {@link DirectConv}'s loops, for few input channels.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * dev.kiln.benchmarks.ConvBench [rounds]} (with {@code OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE}, as the benchmark
 * runs). Prints the median ms per call of each candidate and pass and its ratio to {@code kiln}'s.
 */
final class ConvBench {
    /** A convolution: a batch of {@code (h, w, cin)} images, {@code cout} filters of {@code k x k}, stride 1. */
    record Shape(String name, int batch, int h, int w, int cin, int cout, int k, boolean same, boolean inputGradient) {
        int pad() {
            return same ? (k - 1) / 2 : 0;
        }

        int outH() {
            return same ? h : h - k + 1;
        }

        int outW() {
            return same ? w : w - k + 1;
        }

        double flops() {
            return 2.0 * batch * outH() * outW() * k * k * cin * cout;
        }
    }

    /** One way of running a convolution's two passes. */
    interface Candidate {
        void forward();

        void backward();
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("conv1 28x28x1->32", 128, 28, 28, 1, 32, 3, false, false),
            new Shape("conv2 26x26x32->64", 128, 26, 26, 32, 64, 3, false, true),
            new Shape("same 14x14x64->64", 128, 14, 14, 64, 64, 3, true, true));

    private ConvBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Nd4j.getRandom().setSeed(7);
        for (Shape s : SHAPES) {
            Buffers b = new Buffers(s);
            Map<String, Candidate> candidates = new LinkedHashMap<>();
            candidates.put("kiln", im2col(s, b, true));
            candidates.put("nd4j-gemm", im2col(s, b, false));
            candidates.put("onednn", onednn(s, b));
            candidates.put("shipped", shipped(s, b));
            candidates.put("dnn+deconv", deconv(s, b));
            if (s.cin() <= 4) {
                candidates.put("direct", direct(s, b));
            }
            check(s, b, candidates);
            report(s, measure(candidates, rounds));
        }
    }

    /** Runs each candidate's passes once and prints how far its results are from the first candidate's. */
    private static void check(Shape s, Buffers b, Map<String, Candidate> candidates) {
        INDArray y0 = null;
        INDArray dw0 = null;
        INDArray dx0 = null;
        for (Map.Entry<String, Candidate> e : candidates.entrySet()) {
            e.getValue().forward();
            e.getValue().backward();
            if (y0 == null) {
                y0 = b.y.dup();
                dw0 = b.dw.dup();
                dx0 = b.dx.dup();
                continue;
            }
            System.out.printf(Locale.ROOT, "  %-20s %-10s max |diff| y %.2e dW %.2e dx %.2e%n", s.name(), e.getKey(),
                    b.y.sub(y0).amaxNumber().doubleValue(), b.dw.sub(dw0).amaxNumber().doubleValue(),
                    s.inputGradient() ? b.dx.sub(dx0).amaxNumber().doubleValue() : 0.0);
        }
    }

    /** Per candidate, the ms of each forward and backward call, alternating candidates within every round. */
    private static Map<String, List<double[]>> measure(Map<String, Candidate> candidates, int rounds) {
        Map<String, List<double[]>> times = new LinkedHashMap<>();
        for (String name : candidates.keySet()) {
            times.put(name, new ArrayList<>());
        }
        for (int r = -2; r < rounds; r++) { // two rounds of warm-up
            for (Map.Entry<String, Candidate> e : candidates.entrySet()) {
                Candidate c = e.getValue();
                double fwd = Timing.seconds(c::forward) * 1e3;
                double bwd = Timing.seconds(c::backward) * 1e3;
                if (r >= 0) {
                    times.get(e.getKey()).add(new double[] {fwd, bwd});
                }
            }
        }
        return times;
    }

    private static void report(Shape s, Map<String, List<double[]>> times) {
        double[] base = null;
        for (Map.Entry<String, List<double[]>> e : times.entrySet()) {
            double fwd = Timing.median(e.getValue().stream().map(t -> t[0]).toList());
            double bwd = Timing.median(e.getValue().stream().map(t -> t[1]).toList());
            if (base == null) {
                base = new double[] {fwd, bwd};
            }
            double bwdFlops = s.flops() * (s.inputGradient() ? 2 : 1);
            System.out.printf(Locale.ROOT, "%-20s %-10s fwd %7.2f ms (%5.1f GFLOP/s, %4.2fx)   bwd %7.2f ms (%5.1f"
                    + " GFLOP/s, %4.2fx)%n", s.name(), e.getKey(), fwd, s.flops() / fwd / 1e6, base[0] / fwd, bwd,
                    bwdFlops / bwd / 1e6, base[1] / bwd);
        }
    }

    /** The arrays of one layer, shared by the candidates. */
    static final class Buffers {
        final INDArray x;
        final INDArray w;
        final INDArray y;
        final INDArray dy;
        final INDArray dw;
        final INDArray dx;
        final INDArray columns;
        /** The columns' gradient (a generated model reuses the columns; here the forward's stay for the next call). */
        final INDArray dColumns;
        final INDArray bias;
        final INDArray db;

        Buffers(Shape s) {
            x = Nd4j.rand(DataType.FLOAT, s.batch(), s.h(), s.w(), s.cin());
            w = Nd4j.rand(DataType.FLOAT, s.k(), s.k(), s.cin(), s.cout()).subi(0.5);
            y = Nd4j.create(DataType.FLOAT, s.batch(), s.outH(), s.outW(), s.cout());
            dy = Nd4j.rand(DataType.FLOAT, s.batch(), s.outH(), s.outW(), s.cout()).subi(0.5);
            dw = Nd4j.create(DataType.FLOAT, s.k(), s.k(), s.cin(), s.cout());
            dx = Nd4j.create(DataType.FLOAT, s.batch(), s.h(), s.w(), s.cin());
            columns = Nd4j.create(DataType.FLOAT, (long) s.batch() * s.outH() * s.outW(), s.k() * s.k() * s.cin());
            dColumns = columns.ulike();
            bias = Nd4j.create(DataType.FLOAT, s.cout());
            db = Nd4j.create(DataType.FLOAT, s.cout());
        }
    }

    /** im2col and three GEMMs, through Kiln's GEMM or {@code Nd4j.gemm}. */
    private static Candidate im2col(Shape s, Buffers b, boolean kiln) {
        INDArray w2 = b.w.reshape('c', (long) s.k() * s.k() * s.cin(), s.cout());
        INDArray dw2 = b.dw.reshape('c', (long) s.k() * s.k() * s.cin(), s.cout());
        INDArray y2 = b.y.reshape('c', b.columns.size(0), s.cout());
        INDArray dy2 = b.dy.reshape('c', b.columns.size(0), s.cout());
        return new Candidate() {
            void gemm(INDArray a, INDArray m, INDArray c, boolean ta, boolean tb) {
                if (kiln) {
                    Kernels.gemm(a, m, c, ta, tb);
                } else {
                    Nd4j.gemm(a, m, c, ta, tb, 1.0, 0.0);
                }
            }

            @Override
            public void forward() {
                ConvKernel.im2col(b.x, b.columns, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1, 1, s.pad(), s.pad());
                gemm(b.columns, w2, y2, false, false);
            }

            @Override
            public void backward() {
                gemm(b.columns, dy2, dw2, true, false);
                if (s.inputGradient()) {
                    gemm(dy2, w2, b.dColumns, false, true);
                    ConvKernel.col2im(b.dColumns, b.dx, false, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1, 1, s.pad(),
                            s.pad());
                }
            }
        };
    }

    /**
     * ND4J's conv2d forward; backward the kernel's gradient as im2col + {@code Nd4j.gemm} and the input's as ND4J's
     * {@code deconv2d} (a transposed convolution of {@code dy} with the same kernel, whose layout {@code (kh, kw, out,
     * in)} of the deconvolution is Keras's {@code (kh, kw, in, out)} of the convolution).
     */
    private static Candidate deconv(Shape s, Buffers b) {
        Candidate forward = onednn(s, b);
        INDArray dw2 = b.dw.reshape('c', (long) s.k() * s.k() * s.cin(), s.cout());
        INDArray dy2 = b.dy.reshape('c', b.columns.size(0), s.cout());
        int[] iArgs = {s.k(), s.k(), 1, 1, s.pad(), s.pad(), 1, 1, s.same() ? 1 : 0, 1, 0};
        return new Candidate() {
            @Override
            public void forward() {
                forward.forward();
            }

            @Override
            public void backward() {
                ConvKernel.im2col(b.x, b.columns, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1, 1, s.pad(), s.pad());
                Nd4j.gemm(b.columns, dy2, dw2, true, false, 1.0, 0.0);
                if (s.inputGradient()) {
                    Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(b.dy, b.w).addOutputs(b.dx)
                            .addIntegerArguments(iArgs).build());
                }
            }
        };
    }

    /** {@link DirectConv}'s loops, forward and the kernel's gradient (the input's through {@code deconv2d}). */
    private static Candidate direct(Shape s, Buffers b) {
        int[] iArgs = {s.k(), s.k(), 1, 1, s.pad(), s.pad(), 1, 1, s.same() ? 1 : 0, 1, 0};
        return new Candidate() {
            @Override
            public void forward() {
                DirectConv.forward(b.x, b.w, b.y, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1, 1, s.pad(),
                        s.pad());
            }

            @Override
            public void backward() {
                DirectConv.kernelGradient(b.x, b.dy, b.dw, false, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1, 1,
                        s.pad(), s.pad());
                if (s.inputGradient()) {
                    Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(b.dy, b.w).addOutputs(b.dx)
                            .addIntegerArguments(iArgs).build());
                }
            }
        };
    }

    /**
     * What a generated model runs for this shape now ({@code ConvRoute}): {@code NativeConvKernel}'s forward, and its
     * backward (conv2d_bp in chunks of the batch, one OpenMP thread each) when the input needs a gradient, else
     * im2col + Kiln's GEMM for the kernel's gradient.
     */
    private static Candidate shipped(Shape s, Buffers b) {
        Candidate im2col = im2col(s, b, true);
        INDArray dw2 = b.dw.reshape('c', (long) s.k() * s.k() * s.cin(), s.cout());
        INDArray dy2 = b.dy.reshape('c', b.columns.size(0), s.cout());
        return new Candidate() {
            @Override
            public void forward() {
                NativeConvKernel.forward(b.x, b.w, b.y, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1, 1, s.pad(),
                        s.pad());
            }

            @Override
            public void backward() {
                if (s.inputGradient()) {
                    NativeConvKernel.backward(b.x, b.w, b.dy, b.dx, b.dw, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1,
                            1, s.pad(), s.pad());
                } else {
                    ConvKernel.im2col(b.x, b.columns, s.outH(), s.outW(), s.k(), s.k(), 1, 1, 1, 1, s.pad(),
                            s.pad());
                    Kernels.gemm(b.columns, dy2, dw2, true, false);
                }
            }
        };
    }

    /** ND4J's conv2d and conv2d_bp ops, NHWC with Keras's kernel layout. */
    private static Candidate onednn(Shape s, Buffers b) {
        int[] iArgs = {s.k(), s.k(), 1, 1, s.pad(), s.pad(), 1, 1, s.same() ? 1 : 0, 1, 0};
        return new Candidate() {
            @Override
            public void forward() {
                Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(b.x, b.w).addOutputs(b.y)
                        .addIntegerArguments(iArgs).build());
            }

            @Override
            public void backward() {
                Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(b.x, b.w, b.dy).addOutputs(b.dx, b.dw)
                        .addIntegerArguments(iArgs).build());
            }
        };
    }
}
