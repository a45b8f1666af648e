package dev.kiln.samples;

import dev.kiln.runtime.train.Fit;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a sample: the command line's options, for tests and {@link Main} alike. Zero epochs or batch size means
 * the sample's own default; {@code data} is a directory of data files for the samples that read one (null: the
 * default place). Immutable; each {@code with} method returns a new value.
 *
 * @param epochs epochs to train, or 0 for the sample's default
 * @param batchSize samples per step, or 0 for the sample's default
 * @param seed seeds the data split, the generated data, the weights and the shuffling
 * @param data a data directory, or null
 * @param quiet no progress display
 * @param out where the progress display goes
 * @param report where to write the run's HTML report ({@link Fit#report}), or null for none
 */
public record Options(int epochs, int batchSize, long seed, Path data, boolean quiet, PrintStream out, Path report) {
    /** The seed the samples' stated numbers were measured with. */
    public static final long DEFAULT_SEED = 42;

    public Options {
        if (epochs < 0 || batchSize < 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive (or 0 for the sample's default),"
                    + " got " + epochs + " and " + batchSize);
        }
        Objects.requireNonNull(out, "out");
    }

    /** Every default: seed {@value #DEFAULT_SEED}, progress to {@code System.out}. */
    public static Options defaults() {
        return new Options(0, 0, DEFAULT_SEED, null, false, System.out, null);
    }

    public Options withEpochs(int epochs) {
        return new Options(epochs, batchSize, seed, data, quiet, out, report);
    }

    public Options withBatchSize(int batchSize) {
        return new Options(epochs, batchSize, seed, data, quiet, out, report);
    }

    public Options withSeed(long seed) {
        return new Options(epochs, batchSize, seed, data, quiet, out, report);
    }

    public Options withData(Path data) {
        return new Options(epochs, batchSize, seed, data, quiet, out, report);
    }

    public Options withQuiet(boolean quiet) {
        return new Options(epochs, batchSize, seed, data, quiet, out, report);
    }

    public Options withOut(PrintStream out) {
        return new Options(epochs, batchSize, seed, data, quiet, out, report);
    }

    public Options withReport(Path report) {
        return new Options(epochs, batchSize, seed, data, quiet, out, report);
    }

    /**
     * The fit options for a sample whose defaults are {@code defaultEpochs} and {@code defaultBatchSize}: these
     * options' epochs, batch size and seed where set, a progress display unless quiet, the run report when asked.
     */
    public Fit fit(int defaultEpochs, int defaultBatchSize) {
        Fit fit = Fit.epochs(epochs > 0 ? epochs : defaultEpochs)
                .batchSize(batchSize > 0 ? batchSize : defaultBatchSize)
                .seed(seed)
                .verbose(quiet ? 0 : Fit.AUTO)
                .printTo(out);
        return report == null ? fit : fit.report(report);
    }
}
