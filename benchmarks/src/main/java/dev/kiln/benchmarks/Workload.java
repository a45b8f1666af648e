package dev.kiln.benchmarks;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.data.TrainTest;
import java.io.IOException;
import java.util.List;

/**
 * One benchmark model, run by every system on the same data, from the same seed, through the same {@link Protocol}.
 *
 * <p>Adding a workload: a Kiln {@code @Model} interface, a class implementing this one (its Kiln model, its
 * Deeplearning4j graph, its PyTorch script and the GEMMs of one training step), and a line in {@link Workloads}.
 * {@link FashionMlpWorkload} is the example.
 */
public interface Workload {
    /** The name on the command line and in the report, e.g. {@code fashion-mlp}. */
    String name();

    /** One line for the report: model, data, loss, optimizer. */
    String description();

    /** Samples per training step. */
    int batchSize();

    /** The data, loaded once per process before anything is timed. */
    TrainTest load() throws IOException;

    /** Kiln's generated model, compiled, weights drawn from {@code seed}. */
    KilnModel kilnModel(long seed);

    /** Kiln's generated model on {@code data}, through {@code fit}. */
    default Contender kiln(TrainTest data, long seed) {
        return new KilnContender(kilnModel(seed), data, batchSize(), seed);
    }

    /**
     * The same Kiln model trained by a custom loop as a user writes one ({@code Batches} and {@code trainStep}, see
     * the README's "Custom training loops") instead of {@code fit}.
     */
    default Contender kilnLoop(TrainTest data, long seed) {
        return ((KilnContender) kiln(data, seed)).asCustomLoop();
    }

    /** The same model as a Deeplearning4j {@code ComputationGraph}, weights drawn from {@code seed}. */
    Contender dl4j(TrainTest data, long seed);

    /** The PyTorch side, relative to the repository root; run with {@code /usr/bin/python3} and {@link Protocol#args}. */
    String torchScript();

    /**
     * How many times the harness's default per-process time limit (300 s quick, 900 s full) this workload's slowest
     * system needs: Deeplearning4j's LSTM runs W3 at tens of samples per second.
     */
    default int timeLimitScale() {
        return 1;
    }

    /** The GEMMs one training step runs, for the GEMM-bound limit. */
    List<GemmShape> stepGemms();
}
