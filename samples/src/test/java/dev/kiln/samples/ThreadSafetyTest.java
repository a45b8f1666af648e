package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import dev.kiln.runtime.train.LambdaCallback;
import dev.kiln.samples.digits.DigitsMlpModel;
import dev.kiln.samples.fashion.FashionMlpModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The thread-safety contract of a generated model (see {@code KilnModel}'s Javadoc): predicts from many threads give
 * the single-threaded bits; a predict during training sees one whole weight version; separate instances training in
 * separate threads give the sequential bits; what may not overlap a {@code fit} fails loudly.
 */
class ThreadSafetyTest {
    private static final int[] BATCH_SIZES = {1, 3, 17, 64, 5, 128};

    @Test
    void fourThreadsPredictingMixedBatchesMatchOneThreadBitForBit() throws Exception {
        FashionMlpModel model = FashionMlpModel.create(7);
        SplittableRandom random = new SplittableRandom(1);
        List<INDArray> batches = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            batches.add(uniform(random, BATCH_SIZES[i % BATCH_SIZES.length], 784));
        }
        List<INDArray> expected = new ArrayList<>();
        for (INDArray x : batches) {
            expected.add(model.predict(x));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 5;
                Callable<Integer> predicts = () -> {
                    for (int i = 0; i < 1000; i++) {
                        int b = (offset + i * 7) % batches.size();
                        INDArray got = model.predict(batches.get(b));
                        assertBitwiseEquals(expected.get(b), got, "batch " + b + ", call " + i);
                    }
                    return 1000;
                };
                results.add(pool.submit(predicts));
            }
            for (Future<Integer> f : results) {
                assertEquals(1000, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** predictBatch returns this thread's buffers: other threads' predicts never write into them. */
    @Test
    void aThreadsPredictBatchStaysValidWhileOtherThreadsPredict() throws Exception {
        FashionMlpModel model = FashionMlpModel.create(8);
        SplittableRandom random = new SplittableRandom(2);
        INDArray mine = uniform(random, 17, 784);
        INDArray expected = model.predict(mine);
        INDArray held = model.predictBatch(new INDArray[] {mine})[0];
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> others = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                INDArray theirs = uniform(new SplittableRandom(10 + t), 17, 784);
                others.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        model.predictBatch(new INDArray[] {theirs});
                    }
                }));
            }
            for (Future<?> f : others) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertBitwiseEquals(expected, held, "this thread's predictBatch after other threads' predicts");
    }

    /**
     * One thread trains step after step while another predicts one fixed batch over and over. Each prediction must
     * be, bit for bit, the model's output after some whole number of steps (replayed afterwards on one thread).
     */
    @Test
    void aPredictDuringTrainingSeesOneWholeWeightVersion() throws Exception {
        int steps = 150;
        SplittableRandom random = new SplittableRandom(3);
        INDArray[] xs = new INDArray[steps];
        INDArray[] ys = new INDArray[steps];
        for (int s = 0; s < steps; s++) {
            xs[s] = uniform(random, 32, 64);
            ys[s] = labels(random, 32, 10);
        }
        INDArray probe = uniform(random, 8, 64);

        DigitsMlpModel model = DigitsMlpModel.create(11);
        model.compile(new Adam(1e-2));
        List<INDArray> seen = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread trainer = new Thread(() -> {
            try {
                for (int s = 0; s < steps; s++) {
                    model.trainOnBatch(xs[s], ys[s]);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "trainer");
        trainer.start();
        while (trainer.isAlive()) {
            seen.add(model.predict(probe));
        }
        trainer.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }

        DigitsMlpModel replay = DigitsMlpModel.create(11);
        replay.compile(new Adam(1e-2));
        List<INDArray> versions = new ArrayList<>();
        versions.add(replay.predict(probe));
        for (int s = 0; s < steps; s++) {
            replay.trainOnBatch(xs[s], ys[s]);
            versions.add(replay.predict(probe));
        }
        assertWeightsBitwiseEqual(replay.getWeights(), model.getWeights());
        int lastVersion = 0;
        for (int i = 0; i < seen.size(); i++) {
            int version = versionOf(seen.get(i), versions, lastVersion);
            assertTrue(version >= 0, "prediction " + i + " of " + seen.size() + " matches no weight version");
            lastVersion = version; // versions only move forward
        }
    }

    @Test
    void twoInstancesTrainingInTwoThreadsMatchSequentialTrainingBitForBit() throws Exception {
        Dataset first = fashionLike(1, 1280);
        Dataset second = fashionLike(2, 1280);
        Fit options = Fit.epochs(2).batchSize(128).seed(5).verbose(0);

        Map<String, INDArray> aloneFirst = train(first, options, 21);
        Map<String, INDArray> aloneSecond = train(second, options, 22);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Map<String, INDArray>> a = pool.submit(() -> train(first, options, 21));
            Future<Map<String, INDArray>> b = pool.submit(() -> train(second, options, 22));
            assertWeightsBitwiseEqual(aloneFirst, a.get());
            assertWeightsBitwiseEqual(aloneSecond, b.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whileFitRunsAnotherThreadMayPredictButNotChangeTheModel() throws Exception {
        DigitsMlpModel model = DigitsMlpModel.create(4);
        model.compile(new Adam(1e-3));
        SplittableRandom random = new SplittableRandom(9);
        INDArray x = uniform(random, 64, 64);
        INDArray y = labels(random, 64, 10);
        List<String> seen = new ArrayList<>();
        LambdaCallback fromAnotherThread = new LambdaCallback().atBatchEnd((batch, logs) -> {
            if (batch != 0) {
                return;
            }
            seen.add(inOtherThread(() -> model.predict(x).shape().length + " dims"));
            seen.add(inOtherThread(() -> "loss " + model.trainOnBatch(x, y)));
            seen.add(inOtherThread(() -> {
                model.setWeights(model.getWeights());
                return "set";
            }));
        });
        model.fit(Dataset.of(x, y), Fit.epochs(1).batchSize(32).verbose(0).callbacks(fromAnotherThread));
        assertEquals("2 dims", seen.get(0));
        for (String refused : seen.subList(1, 3)) {
            assertTrue(refused.startsWith("IllegalStateException: "), refused);
            assertTrue(refused.contains("while thread '" + Thread.currentThread().getName() + "' is inside fit"),
                    refused);
        }
        assertTrue(seen.get(1).startsWith("IllegalStateException: trainOnBatch was called on DigitsMlp from thread"),
                seen.get(1));
        assertTrue(seen.get(2).startsWith("IllegalStateException: setWeights was called"), seen.get(2));
        model.trainOnBatch(x, y); // fit has returned: any thread may train again
    }

    // ---- helpers

    private static Map<String, INDArray> train(Dataset data, Fit options, long seed) {
        FashionMlpModel model = FashionMlpModel.create(seed);
        model.compile(new Adam(1e-3));
        model.fit(data, options);
        return model.getWeights();
    }

    private static Dataset fashionLike(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        return Dataset.of(uniform(random, n, 784), labels(random, n, 10));
    }

    /** Runs {@code call} in a new thread: its result, or the simple name and message of what it threw. */
    private static String inOtherThread(Callable<String> call) {
        AtomicReference<String> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(call.call());
            } catch (Exception e) {
                out.set(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }, "other");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertNotNull(out.get());
        return out.get();
    }

    private static int versionOf(INDArray prediction, List<INDArray> versions, int from) {
        for (int v = from; v < versions.size(); v++) {
            if (bitwiseEqual(versions.get(v), prediction)) {
                return v;
            }
        }
        return -1;
    }

    static INDArray uniform(SplittableRandom random, int rows, int columns) {
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        return Nd4j.create(values, new long[] {rows, columns}, 'c');
    }

    static INDArray labels(SplittableRandom random, int rows, int classes) {
        float[] values = new float[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = random.nextInt(classes);
        }
        return Nd4j.create(values, new long[] {rows}, 'c');
    }

    static boolean bitwiseEqual(INDArray a, INDArray b) {
        return java.util.Arrays.equals(a.shape(), b.shape())
                && java.util.Arrays.equals(a.dup('c').data().asFloat(), b.dup('c').data().asFloat());
    }

    static void assertBitwiseEquals(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] a = actual.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }

    static void assertWeightsBitwiseEqual(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertBitwiseEquals(expected.get(name), actual.get(name), name);
        }
    }
}
