package dev.kiln.runtime.kernel;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Kiln's compute threads: the calling thread plus up to {@code threads - 1} daemon workers, which together run every
 * parallel part of a step — both halves of each GEMM (OpenBLAS itself runs single-threaded, see {@link Blas}), the
 * optimizer's pass, the long element-wise loops.
 *
 * <p>Why its own threads: a training step alternates GEMMs with Java passes. With OpenBLAS's threads for the first and
 * the fork-join pool's for the second, each pool's idle threads spin (OpenBLAS's call {@code sched_yield} for tens of
 * milliseconds) while the other pool works, and on a 2-core machine they take the cores from it: the step measured
 * 3.6-5.3 ms against 3.1 ms for its parts run alone. With one set of threads nothing waits on a core but the work.
 *
 * <p>A worker that finishes a part spins for {@link #SPIN_NANOS} waiting for the next one (the next GEMM of a step
 * comes within microseconds) and then parks, so an idle model costs no CPU.
 *
 * <p>The workers are shared fairly, not held by one caller: each parallel job claims free workers up to its share of
 * the machine, {@code threads / callers - 1} where {@code callers} counts the threads running a job right now, and
 * hands its parts to whichever of them, the caller included, is free. One model training alone gets every worker; two
 * models training in two threads get half each (on 2 cores: one core each, no worker); a job that finds no worker free
 * runs its parts on the calling thread. Which thread runs a part never changes what it computes (the parts are fixed by
 * the job), so results are the same bits whatever else runs. Parallel work inside a part runs on that part's thread.
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
    /** Threads inside {@link #share} right now, callers only: each may claim its share of the workers. */
    private static final AtomicInteger CALLERS = new AtomicInteger();
    private static final Worker[] NONE = new Worker[0];

    /** One part of a parallel job: {@code part} runs from 0 to {@code parts - 1}, each exactly once. */
    @FunctionalInterface
    interface Job {
        void run(int part);
    }

    private Workers() {
    }

    /**
     * Runs {@code job} for parts {@code 0 .. parts - 1}, at most {@link #THREADS} of them, concurrently where workers
     * are free; returns when all are done, rethrowing the first failure.
     */
    static void run(int parts, Job job) {
        if (parts > THREADS) {
            throw new IllegalArgumentException(parts + " parts for " + THREADS + " threads");
        }
        share(parts, job);
    }

    /**
     * Runs {@code job} for tasks {@code 0 .. tasks - 1}, each exactly once, handed out one at a time to whichever of
     * the calling thread and the workers it claimed is free: a thread that is slowed or starts late (the machine's
     * other load) takes fewer, and the caller may run them all. Measured on the 2-core machine: the caller waited
     * 65-600 us per training step for a late worker with one fixed part each.
     */
    static void share(int tasks, Job job) {
        int parts = Math.min(THREADS, tasks);
        if (parts <= 1 || Thread.currentThread() instanceof WorkerThread) {
            for (int t = 0; t < tasks; t++) {
                job.run(t);
            }
            return;
        }
        int callers = CALLERS.incrementAndGet();
        try {
            Worker[] claimed = claim(Math.min(parts - 1, THREADS / callers - 1));
            Shared shared = new Shared(tasks, job);
            Job pull = ignored -> shared.pull();
            for (Worker w : claimed) {
                w.submit(pull);
            }
            shared.pull();
            shared.awaitStarted();
            for (Worker w : claimed) {
                w.release();
            }
            shared.rethrow();
        } finally {
            CALLERS.decrementAndGet();
        }
    }

    /**
     * One job's tasks, pulled by whichever thread is free. The caller pulls too and then waits only for the tasks a
     * worker has started: a worker that has not woken up by the time every task is taken is not waited for (on a
     * loaded machine a descheduled worker used to hold each small GEMM of a recurrent step for a scheduler slice).
     * It may still run the job later, finds no task left and does nothing.
     */
    private static final class Shared {
        private final int tasks;
        private final Job job;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;

        Shared(int tasks, Job job) {
            this.tasks = tasks;
            this.job = job;
        }

        void pull() {
            for (int t; (t = next.getAndIncrement()) < tasks; ) {
                try {
                    job.run(t);
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    finished.incrementAndGet(); // publishes the task's writes to the caller
                }
            }
        }

        /** Waits for the tasks other threads took; every task is taken once the caller's own pull returns. */
        void awaitStarted() {
            for (int spins = 1; finished.get() < tasks; spins++) {
                Thread.onSpinWait();
                if ((spins & 1023) == 0) {
                    Thread.yield(); // the worker holding a task may be waiting for this core
                }
            }
        }

        void rethrow() {
            Throwable f = failure;
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }
    }

    /** Up to {@code wanted} free workers, now reserved for the caller; maybe none. */
    private static Worker[] claim(int wanted) {
        if (wanted <= 0) {
            return NONE;
        }
        Worker[] got = new Worker[wanted];
        int n = 0;
        for (int i = 0; i < WORKERS.length && n < wanted; i++) {
            if (WORKERS[i].tryClaim()) {
                got[n++] = WORKERS[i];
            }
        }
        return n == wanted ? got : Arrays.copyOf(got, n);
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

    /** Kiln's worker threads: parallel work asked for inside a part runs on the part's own thread. */
    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable body, String name) {
            super(body, name);
        }
    }

    /** One worker thread: takes a job, runs it; spins, then parks, between jobs. */
    private static final class Worker implements Runnable {
        private final Thread thread;
        private final AtomicBoolean claimed = new AtomicBoolean();
        /** The job handed over and not yet taken; a newer one replaces one the worker never took. */
        private final AtomicReference<Job> job = new AtomicReference<>();
        private volatile boolean parked;

        Worker(int index) {
            thread = new WorkerThread(this, "kiln-worker-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        /** Reserves this worker for one caller's job; false when another caller holds it. */
        boolean tryClaim() {
            return !claimed.get() && claimed.compareAndSet(false, true);
        }

        void release() {
            claimed.set(false);
        }

        void submit(Job next) {
            job.set(next);
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (true) {
                try {
                    take().run(0);
                } catch (Throwable t) {
                    // a Shared job keeps its tasks' failures for its caller; nothing else runs here
                }
            }
        }

        private Job take() {
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                // The clock is read every 64 spins: read on every one it was 3-4% of the process's CPU samples.
                for (int spins = 1; job.get() == null; spins++) {
                    Thread.onSpinWait();
                    if ((spins & 63) == 0 && System.nanoTime() >= spinUntil) {
                        break;
                    }
                }
                if (job.get() == null) {
                    parked = true; // then re-check: a submit that did not see parked has set the job already
                    while (job.get() == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
                Job next = job.getAndSet(null);
                if (next != null) {
                    return next;
                }
            }
        }
    }
}
