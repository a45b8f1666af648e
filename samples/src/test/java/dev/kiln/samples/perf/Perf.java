package dev.kiln.samples.perf;

import dev.kiln.runtime.Memory;
import dev.kiln.runtime.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

public class Perf {
    public static void main(String[] args) {
        PerfMlpModel m = PerfMlpModel.create(1);
        m.compile(new Adam(1e-3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, 784);
        INDArray y = Nd4j.create(DataType.FLOAT, 128);
        for (int i = 0; i < 128; i++) y.putScalar(i, i % 10);
        INDArray[] xs = {x}, ys = {y};
        for (int i = 0; i < 200; i++) m.trainStep(xs, ys);
        long a0 = Memory.allocations();
        int n = Integer.parseInt(args[0]);
        for (int r = 0; r < 5; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) m.trainStep(xs, ys);
            double ms = (System.nanoTime() - t) / 1e6 / n;
            System.out.printf("step %.3f ms  -> %.0f samples/s%n", ms, 128 / ms * 1000);
        }
        System.out.println("allocations during steady state: " + (Memory.allocations() - a0));
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) m.predictBatch(xs);
            double ms = (System.nanoTime() - t) / 1e6 / n;
            System.out.printf("predict %.3f ms  -> %.0f samples/s%n", ms, 128 / ms * 1000);
        }
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 1, 784);
        for (int i = 0; i < 2000; i++) m.predictBatch(new INDArray[]{x1});
        long t = System.nanoTime();
        for (int i = 0; i < 2000; i++) m.predictBatch(new INDArray[]{x1});
        System.out.printf("latency batch1 %.1f us%n", (System.nanoTime() - t) / 1e3 / 2000);
    }
}
