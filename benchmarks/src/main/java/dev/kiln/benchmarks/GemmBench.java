package dev.kiln.benchmarks;

import dev.kiln.runtime.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's float32 GEMM rate on each shape of a training step, by two paths into a preallocated output with
 * transpose flags: {@code Nd4j.gemm} (ND4J's own: oneDNN's matmul on its OpenMP threads in the onednn builds) and
 * Kiln's {@code Kernels.gemm} (OpenBLAS single-threaded, in stripes on Kiln's worker threads); each the best of several
 * timed repetitions of ~40 ms. ND4J's path is measured first, since loading Kiln's sets OpenBLAS to one thread. The
 * GEMM-bound limit of a workload is the training throughput if a step did nothing but its GEMMs at the better rate.
 */
final class GemmBench {
    private static final int REPETITIONS = 9;
    private static final double REPETITION_SECONDS = 0.04;

    private GemmBench() {
    }

    /** GFLOP/s for each shape, in order, through {@code Nd4j.gemm} ({@code kiln} false) or Kiln's kernel. */
    static List<Double> bestRates(List<GemmShape> shapes, boolean kiln) {
        Nd4j.getRandom().setSeed(1);
        List<Double> rates = new ArrayList<>();
        for (GemmShape s : shapes) {
            INDArray a = s.transA() ? Nd4j.rand(DataType.FLOAT, s.k(), s.m()) : Nd4j.rand(DataType.FLOAT, s.m(), s.k());
            INDArray b = s.transB() ? Nd4j.rand(DataType.FLOAT, s.n(), s.k()) : Nd4j.rand(DataType.FLOAT, s.k(), s.n());
            INDArray c = Nd4j.create(DataType.FLOAT, s.m(), s.n());
            Runnable gemm = kiln
                    ? () -> Kernels.gemm(a, b, c, s.transA(), s.transB())
                    : () -> Nd4j.gemm(a, b, c, s.transA(), s.transB(), 1.0, 0.0);
            double perCall = Timing.msPerCall(20, gemm) / 1e3;
            int calls = Math.max(3, (int) Math.ceil(REPETITION_SECONDS / perCall));
            double best = 0;
            for (int r = 0; r < REPETITIONS; r++) {
                double seconds = Timing.seconds(() -> {
                    for (int i = 0; i < calls; i++) {
                        gemm.run();
                    }
                });
                best = Math.max(best, s.flops() * calls / seconds / 1e9);
            }
            rates.add(best);
        }
        return rates;
    }

    /** Samples/s of a step that only ran {@code shapes} at {@code gflops}: batch / sum(flops_i / rate_i). */
    static double limit(List<GemmShape> shapes, List<Double> gflops, int batchSize) {
        double seconds = 0;
        for (int i = 0; i < shapes.size(); i++) {
            seconds += shapes.get(i).stepFlops() / (gflops.get(i) * 1e9);
        }
        return batchSize / seconds;
    }
}
