package dev.kiln.samples;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import dev.kiln.samples.fashion.FashionMlpModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures, on the Fashion-MNIST MLP (784-512-512-10): predict throughput on one shared instance from 1, 2 and 4
 * threads; single-threaded training (trainOnBatch and fit, batch 128); and two instances training at once in two
 * threads. Prints medians over windows. Not a test: run by hand, e.g.
 *
 * <pre>
 * java -cp samples/target/test-classes:samples/target/classes:$(cat cp.txt) dev.kiln.samples.Throughput [windows]
 * </pre>
 *
 * It uses only API that predates the thread-safety work, so it runs unchanged against an older build to compare.
 */
public final class Throughput {
    private static final int WINDOW_MS = 1000;

    private Throughput() {
    }

    public static void main(String[] args) throws Exception {
        int windows = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        SplittableRandom random = new SplittableRandom(42);
        System.out.println("cores " + Runtime.getRuntime().availableProcessors() + ", windows " + windows + " x "
                + WINDOW_MS + " ms, medians [min-max]");
        FashionMlpModel model = FashionMlpModel.create(42);
        for (int batch : new int[] {1, 32}) {
            var x = uniform(random, batch, 784);
            for (int threads : new int[] {1, 2, 4}) {
                double[] rates = new double[windows];
                predictWindow(model, x, threads, 300); // warm-up
                for (int w = 0; w < windows; w++) {
                    rates[w] = predictWindow(model, x, threads, WINDOW_MS);
                }
                System.out.printf("predict batch %3d, %d thread(s) on one instance: %s samples/s%n", batch, threads,
                        summary(rates));
            }
        }
        var trainX = uniform(random, 128, 784);
        var trainY = labels(random, 128, 10);
        FashionMlpModel trained = FashionMlpModel.create(1);
        trained.compile(new Adam(1e-3));
        double[] steps = new double[windows];
        stepWindow(trained, trainX, trainY, 500);
        for (int w = 0; w < windows; w++) {
            steps[w] = stepWindow(trained, trainX, trainY, WINDOW_MS);
        }
        System.out.printf("trainOnBatch batch 128, one thread: %s samples/s%n", summary(steps));

        Dataset data = Dataset.of(uniform(random, 128 * 40, 784),
                labels(random, 128 * 40, 10));
        double[] fits = new double[windows];
        fitOnce(data, 1);
        for (int w = 0; w < windows; w++) {
            fits[w] = fitOnce(data, 1);
        }
        System.out.printf("fit batch 128 (40 steps), one instance: %s samples/s%n", summary(fits));
        double[] both = new double[windows];
        fitOnce(data, 2);
        for (int w = 0; w < windows; w++) {
            both[w] = fitOnce(data, 2);
        }
        System.out.printf("fit batch 128 (40 steps), two instances in two threads: %s samples/s in all%n",
                summary(both));
    }

    private static double predictWindow(FashionMlpModel model, INDArray x, int threads,
            long millis) throws Exception {
        long[] counts = new long[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> all = new ArrayList<>();
        long[] window = new long[1];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    long end = System.nanoTime() + millis * 1_000_000L;
                    long n = 0;
                    while (System.nanoTime() < end) {
                        model.predict(x);
                        n++;
                    }
                    counts[id] = n;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            all.add(thread);
        }
        start.await();
        long begin = System.nanoTime();
        for (Thread t : all) {
            t.join();
        }
        window[0] = System.nanoTime() - begin;
        long total = Arrays.stream(counts).sum();
        return total * x.size(0) / (window[0] / 1e9);
    }

    private static double stepWindow(FashionMlpModel model, INDArray x,
            INDArray y, long millis) {
        long begin = System.nanoTime();
        long end = begin + millis * 1_000_000L;
        long n = 0;
        while (System.nanoTime() < end) {
            model.trainOnBatch(x, y);
            n++;
        }
        return n * x.size(0) / ((System.nanoTime() - begin) / 1e9);
    }

    /** {@code instances} models each fit one epoch of {@code data}, each in its own thread; samples/s in all. */
    private static double fitOnce(Dataset data, int instances) throws Exception {
        List<Thread> threads = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(instances + 1);
        for (int i = 0; i < instances; i++) {
            FashionMlpModel model = FashionMlpModel.create(i);
            model.compile(new Adam(1e-3));
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    model.fit(data, Fit.epochs(1).batchSize(128).seed(3).verbose(0));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        start.await();
        long begin = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        return (double) instances * data.size() / ((System.nanoTime() - begin) / 1e9);
    }

    private static INDArray uniform(SplittableRandom random, int rows, int columns) {
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        return Nd4j.create(values, new long[] {rows, columns}, 'c');
    }

    private static INDArray labels(SplittableRandom random, int rows, int classes) {
        float[] values = new float[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = random.nextInt(classes);
        }
        return Nd4j.create(values, new long[] {rows}, 'c');
    }

    private static String summary(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format("%,.0f [%,.0f-%,.0f]", median, sorted[0], sorted[sorted.length - 1]);
    }
}
