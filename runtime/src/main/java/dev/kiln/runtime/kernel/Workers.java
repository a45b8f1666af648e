package dev.kiln.runtime.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Kiln's compute threads: the calling thread plus {@code threads - 1} daemon workers, which together run every
 * parallel part of a step — both halves of each GEMM (OpenBLAS itself runs single-threaded, see {@link Blas}), the
 * optimizer's pass, the long element-wise loops.
 *
 * <p>Why its own threads: a training step alternates GEMMs with Java passes. With OpenBLAS's threads for the first and
 * the fork-join pool's for the second, each pool's idle threads spin (OpenBLAS's call {@code sched_yield} for tens of
 * milliseconds) while the other pool works, and on a 2-core machine they take the cores from it: the step measured
 * 3.6-5.3 ms against 3.1 ms for its parts run alone. With one set of threads nothing waits on a core but the work.
 *
 * <p>A worker that finishes a part spins for {@link #SPIN_NANOS} waiting for the next one (the next GEMM of a step
 * comes within microseconds) and then parks, so an idle model costs no CPU. When the workers are already busy (another
 * thread's model, or a part that itself asks for parallel work) the caller runs all the parts itself.
 *
 * <p>The thread count is the number of available processors, or the system property {@code kiln.threads} when set
 * ({@code -Dkiln.threads=1} runs everything on the calling thread).
 */
final class Workers {
    /**
     * How long an idle worker spins before it parks: long enough to span the Java passes between a step's GEMMs.
     * Training throughput measured the same with 50 us to 5 ms, within the machine's noise.
     */
    static final long SPIN_NANOS = 200_000;
    /** Threads that run a parallel loop, the caller's included. */
    static final int THREADS = threads();

    private static final Worker[] WORKERS = start(THREADS - 1);
    private static final AtomicBoolean BUSY = new AtomicBoolean();

    /** One part of a parallel job: {@code part} runs from 0 to {@code parts - 1}, each exactly once. */
    @FunctionalInterface
    interface Job {
        void run(int part);
    }

    private Workers() {
    }

    /**
     * Runs {@code job} for parts {@code 0 .. parts - 1}, at most {@link #THREADS} of them, concurrently: part 0 on the
     * calling thread, the others on the workers; returns when all are done, rethrowing the first failure.
     */
    static void run(int parts, Job job) {
        if (parts > THREADS) {
            throw new IllegalArgumentException(parts + " parts for " + THREADS + " threads");
        }
        if (parts <= 1 || !BUSY.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                job.run(p);
            }
            return;
        }
        try {
            for (int p = 1; p < parts; p++) {
                WORKERS[p - 1].submit(job, p);
            }
            Throwable failure = null;
            try {
                job.run(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int p = 1; p < parts; p++) {
                Throwable f = WORKERS[p - 1].await();
                if (failure == null) {
                    failure = f;
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        } finally {
            BUSY.set(false);
        }
    }

    /**
     * Runs {@code job} for tasks {@code 0 .. tasks - 1}, each exactly once, handed out one at a time to whichever of
     * the calling thread and the workers is free: a thread that is slowed or starts late (the machine's other load)
     * takes fewer, and the caller may run them all. Measured on the 2-core machine: the caller waited 65-600 us per
     * training step for a late worker with one fixed part each.
     */
    static void share(int tasks, Job job) {
        int parts = Math.min(THREADS, tasks);
        if (parts <= 1) {
            for (int t = 0; t < tasks; t++) {
                job.run(t);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        run(parts, part -> {
            for (int t; (t = next.getAndIncrement()) < tasks; ) {
                job.run(t);
            }
        });
    }

    private static int threads() {
        String configured = System.getProperty("kiln.threads");
        if (configured == null) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        try {
            int n = Integer.parseInt(configured.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the system property kiln.threads must be a whole number of at least 1,"
                + " got '" + configured + "'");
    }

    private static Worker[] start(int count) {
        Worker[] workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(i + 1);
        }
        return workers;
    }

    /** One worker thread: takes a part, runs it, reports; spins, then parks, between parts. */
    private static final class Worker implements Runnable {
        private final Thread thread;
        private volatile Job job;
        private volatile int part;
        private volatile boolean done = true;
        private volatile boolean parked;
        private volatile Throwable failure;

        Worker(int index) {
            thread = new Thread(this, "kiln-worker-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        void submit(Job job, int part) {
            this.part = part;
            this.failure = null;
            this.done = false;
            this.job = job; // published last: the worker reads part after seeing the job
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        Throwable await() {
            while (!done) {
                Thread.onSpinWait();
            }
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                Job next = take();
                try {
                    next.run(part);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done = true;
                }
            }
        }

        private Job take() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            Job next;
            // The clock is read every 64 spins: read on every one it was 3-4% of the process's CPU samples.
            for (int spins = 1; (next = job) == null; spins++) {
                Thread.onSpinWait();
                if ((spins & 63) == 0 && System.nanoTime() >= spinUntil) {
                    break;
                }
            }
            if (next == null) {
                parked = true; // then re-check: a submit that did not see parked has set the job already
                while ((next = job) == null) {
                    LockSupport.park(this);
                }
                parked = false;
            }
            job = null;
            return next;
        }
    }
}
