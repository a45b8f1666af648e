package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every system runs, in one fresh process, in this order (torch_mlp.py mirrors it line by line):
 *
 * <ol>
 *   <li>load the data and build the model from {@link #seed} (not timed);
 *   <li>train exactly one epoch through the system's training loop and measure the test accuracy; the epoch's wall
 *       time is reported too, and the epoch is the warm-up of what follows;
 *   <li>{@link #windows} training windows of {@link #windowSteps} steps each, each through the training loop on a
 *       freshly shuffled epoch: samples/s = steps x batch / wall time of the window (batching, forward, loss,
 *       backward, optimizer; the data already in memory);
 *   <li>after {@link #INFERENCE_WARMUP_PASSES} untimed passes, {@link #windows} inference windows, each one pass over
 *       the full test batches (78 x 128 samples, arrays made beforehand) through the system's single-batch inference
 *       call;
 *   <li>{@link #latencyCalls} single-sample predictions after 100 untimed ones, each timed alone: the median;
 *   <li>where the contender names them, the parts of a step on one fixed batch ({@link Contender#phases}), each
 *       timed over {@link #PHASE_CALLS} calls once a window, round-robin: the median per part;
 *   <li>the process's peak resident set (VmHWM).
 * </ol>
 */
record Protocol(int windows, int windowSteps, int latencyCalls, long seed) {
    static final int LATENCY_WARMUP = 100;
    /**
     * Untimed passes over the test batches before inference is timed. One was not enough for a JVM after the quick
     * mode's 120 training steps: the first two timed passes still ran ~15% slow while the JIT recompiled the inference
     * path; three are, for every system alike.
     */
    static final int INFERENCE_WARMUP_PASSES = 3;
    /** Calls per timing of a step's part; each part is timed once a window, round-robin, and the median kept. */
    static final int PHASE_CALLS = 30;

    static Protocol quick() {
        return new Protocol(3, 40, 300, 42);
    }

    static Protocol full() {
        return new Protocol(5, 100, 1000, 42);
    }

    /** The same protocol with another seed (for data order, initial weights and dropout alike). */
    Protocol withSeed(long seed) {
        return new Protocol(windows, windowSteps, latencyCalls, seed);
    }

    /** The command-line form, for child processes (Java and Python alike). */
    List<String> args() {
        return List.of("--windows", Integer.toString(windows), "--window-steps", Integer.toString(windowSteps),
                "--latency-calls", Integer.toString(latencyCalls), "--seed", Long.toString(seed));
    }

    static Protocol parse(List<String> args) {
        Protocol p = full();
        int windows = p.windows;
        int steps = p.windowSteps;
        int calls = p.latencyCalls;
        long seed = p.seed;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--windows" -> windows = Integer.parseInt(value);
                case "--window-steps" -> steps = Integer.parseInt(value);
                case "--latency-calls" -> calls = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown protocol option " + args.get(i));
            }
        }
        return new Protocol(windows, steps, calls, seed);
    }

    RunResult run(String system, Workload workload, Contender contender) {
        int batch = workload.batchSize();
        RunResult r = new RunResult(system, workload.name());
        r.put("epoch_s", Timing.seconds(contender::trainEpoch));
        r.put("accuracy", contender.testAccuracy());

        List<Double> train = new ArrayList<>();
        double wall = 0;
        long cpu = CpuTime.nanos();
        for (int w = 0; w < windows; w++) {
            double seconds = Timing.seconds(() -> contender.train(windowSteps));
            wall += seconds;
            train.add((double) windowSteps * batch / seconds);
        }
        r.put("train_sps", train);
        r.put("train_cpu_cores", (CpuTime.nanos() - cpu) / 1e9 / wall);

        int batches = contender.testBatches();
        Runnable pass = () -> {
            for (int i = 0; i < batches; i++) {
                contender.predictBatch(i);
            }
        };
        for (int i = 0; i < INFERENCE_WARMUP_PASSES; i++) {
            pass.run();
        }
        List<Double> infer = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            infer.add((double) batches * batch / Timing.seconds(pass));
        }
        r.put("infer_sps", infer);

        for (int i = 0; i < LATENCY_WARMUP; i++) {
            contender.predictOne(i);
        }
        List<Double> micros = new ArrayList<>(latencyCalls);
        for (int i = 0; i < latencyCalls; i++) {
            long start = System.nanoTime();
            contender.predictOne(i);
            micros.add((System.nanoTime() - start) / 1e3);
        }
        r.put("latency_us", Timing.median(micros));
        r.put("latency_p90_us", Timing.quantile(micros, 0.9));

        Map<String, List<Double>> phaseMs = new LinkedHashMap<>();
        for (int w = 0; w < windows; w++) {
            for (Map.Entry<String, Runnable> phase : contender.phases().entrySet()) {
                phaseMs.computeIfAbsent(phase.getKey(), k -> new ArrayList<>())
                        .add(Timing.msPerCall(PHASE_CALLS, phase.getValue()));
            }
        }
        phaseMs.forEach((name, ms) -> r.put("phase_ms." + name, Timing.median(ms)));
        r.put("rss_mb", PeakRss.megabytes());
        return r;
    }
}
