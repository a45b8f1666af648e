package dev.kiln.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Workers} and {@link Parallel}: every part runs once, failures reach the caller, callers share the workers. */
class WorkersTest {

    @Test
    void everyPartRunsExactlyOnce() {
        for (int round = 0; round < 1000; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Workers.THREADS);
            Workers.run(Workers.THREADS, runs::incrementAndGet);
            for (int p = 0; p < Workers.THREADS; p++) {
                assertEquals(1, runs.get(p), "round " + round + ", part " + p);
            }
        }
    }

    @Test
    void aFailingPartReachesTheCallerAndTheWorkersGoOn() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing = 0; failing < Workers.THREADS; failing++) {
            int f = failing;
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Workers.run(Workers.THREADS,
                    part -> {
                        if (part == f) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown, "part " + f);
        }
        everyPartRunsExactlyOnce();
    }

    @Test
    void moreParallelWorkInsideAPartRunsOnItsThread() {
        long[] sums = new long[Workers.THREADS];
        Workers.run(Workers.THREADS, part -> {
            long[] local = new long[1 << 16];
            Parallel.forRange(local.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    local[i] = i;
                }
            });
            long s = 0;
            for (long v : local) {
                s += v;
            }
            sums[part] = s;
        });
        long expected = (long) (1 << 16) * ((1 << 16) - 1) / 2;
        for (int p = 0; p < sums.length; p++) {
            assertEquals(expected, sums[p], "part " + p);
        }
    }

    @Test
    void callersOnManyThreadsEachGetTheirWholeLoop() throws Exception {
        int n = 1 << 18;
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                long scale = c + 1;
                Callable<Long> call = () -> {
                    long total = 0;
                    for (int round = 0; round < 50; round++) {
                        float[] out = new float[n];
                        Parallel.forRange(n, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                out[i] = scale;
                            }
                        });
                        for (float v : out) {
                            total += (long) v;
                        }
                    }
                    return total;
                };
                results.add(callers.submit(call));
            }
            for (int c = 0; c < 4; c++) {
                assertEquals(50L * n * (c + 1), results.get(c).get(), "caller " + c);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void sharedTasksRunExactlyOnceWhateverTheirNumber() {
        for (int tasks : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
            for (int round = 0; round < 50; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, tasks));
                Workers.share(tasks, runs::incrementAndGet);
                for (int t = 0; t < tasks; t++) {
                    assertEquals(1, runs.get(t), tasks + " tasks, round " + round + ", task " + t);
                }
            }
        }
    }

    @Test
    void aFailingSharedTaskReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Workers.share(16, t -> {
            if (t == 11) {
                throw boom;
            }
        }));
        assertSame(boom, thrown);
        sharedTasksRunExactlyOnceWhateverTheirNumber();
    }

    /** A bad {@code -Dkiln.threads} fails the first parallel call with a message naming the property and the value. */
    @Test
    void aBadThreadCountIsReportedByName() throws Exception {
        for (String bad : new String[] {"two", "0"}) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dkiln.threads=" + bad, "-cp", System.getProperty("java.class.path"), TouchWorkers.class.getName())
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, child.waitFor(), output);
            assertTrue(output.contains("IllegalArgumentException: the system property kiln.threads must be a whole"
                    + " number of at least 1, got '" + bad + "'"), output);
        }
    }

    /** The forked JVM of {@link #aBadThreadCountIsReportedByName}: one call that needs the workers. */
    static final class TouchWorkers {
        public static void main(String[] args) {
            Workers.run(1, part -> { });
        }
    }

    @Test
    void partsBeyondTheThreadsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Workers.run(Workers.THREADS + 1, part -> { }));
        assertEquals((Workers.THREADS + 1) + " parts for " + Workers.THREADS + " threads", e.getMessage());
    }
}
