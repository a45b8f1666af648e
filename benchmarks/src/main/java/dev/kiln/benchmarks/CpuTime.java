package dev.kiln.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * CPU time of the whole process (all threads, native ones included). CPU seconds per wall second of training shows
 * how many cores a system kept busy, and whether other work on the machine starved it.
 */
final class CpuTime {
    private CpuTime() {
    }

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
