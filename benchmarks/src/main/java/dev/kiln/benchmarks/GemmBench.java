package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's float32 GEMM rate on each shape of a training step: {@code Nd4j.gemm} into a preallocated output (as Kiln's
 * kernels call it, transpose flags included), the best of several timed repetitions of ~40 ms each. The GEMM-bound
 * limit of a workload is the training throughput if a step did nothing but its GEMMs at those rates.
 */
final class GemmBench {
    private static final int REPETITIONS = 9;
    private static final double REPETITION_SECONDS = 0.04;

    private GemmBench() {
    }

    /** GFLOP/s for each shape, in order. */
    static List<Double> bestRates(List<GemmShape> shapes) {
        Nd4j.getRandom().setSeed(1);
        List<Double> rates = new ArrayList<>();
        for (GemmShape s : shapes) {
            INDArray a = s.transA() ? Nd4j.rand(DataType.FLOAT, s.k(), s.m()) : Nd4j.rand(DataType.FLOAT, s.m(), s.k());
            INDArray b = s.transB() ? Nd4j.rand(DataType.FLOAT, s.n(), s.k()) : Nd4j.rand(DataType.FLOAT, s.k(), s.n());
            INDArray c = Nd4j.create(DataType.FLOAT, s.m(), s.n());
            Runnable gemm = () -> Nd4j.gemm(a, b, c, s.transA(), s.transB(), 1.0, 0.0);
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
            seconds += shapes.get(i).flops() / (gflops.get(i) * 1e9);
        }
        return batchSize / seconds;
    }
}
