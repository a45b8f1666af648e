package dev.kiln.runtime.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The options of {@code fit}, Keras's {@code fit} arguments with Keras's defaults. Immutable: every method returns a
 * new {@code Fit}.
 *
 * <pre>{@code
 * Fit.epochs(10).batchSize(64).validationSplit(0.1).callbacks(new EarlyStopping().patience(3))
 * }</pre>
 */
public final class Fit {

    /** {@link #verbose(int)}'s default: 1 (a progress bar) on a terminal, otherwise 2 (a line per epoch). */
    public static final int AUTO = -1;

    private int epochs;
    private int batchSize = 32;
    private double validationSplit;
    private BatchSource validationData;
    private boolean shuffle = true;
    private long seed;
    private int verbose = AUTO;
    private List<Callback> callbacks = List.of();
    private int initialEpoch;
    private int stepsPerEpoch;
    private PrintStream out;
    private Path report;

    private Fit() {
    }

    /** Starts the options: train for {@code epochs} epochs (Keras's {@code epochs}, at least 1). */
    public static Fit epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, but is " + epochs);
        }
        Fit fit = new Fit();
        fit.epochs = epochs;
        return fit;
    }

    /** Samples per gradient step; default 32. */
    public Fit batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, but is " + batchSize);
        }
        Fit fit = copy();
        fit.batchSize = batchSize;
        return fit;
    }

    /**
     * Keeps the last {@code fraction} of the training data (taken before shuffling) for validation, as Keras's
     * {@code validation_split}; 0 (the default) keeps none. Ignored when {@link #validationData} is given, as in Keras.
     */
    public Fit validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1), e.g. 0.1 for 10%, but is "
                    + fraction);
        }
        Fit fit = copy();
        fit.validationSplit = fraction;
        return fit;
    }

    /** Data to evaluate at the end of each epoch (logged with the prefix {@code val_}); overrides validationSplit. */
    public Fit validationData(dev.kiln.runtime.data.Dataset data) {
        return validationData(data.source());
    }

    /** Validation batches from any source; see {@link #validationData(dev.kiln.runtime.data.Dataset)}. */
    public Fit validationData(BatchSource data) {
        Fit fit = copy();
        fit.validationData = Objects.requireNonNull(data, "validationData");
        return fit;
    }

    /** Whether to visit the training samples in a new random order each epoch; default true. */
    public Fit shuffle(boolean shuffle) {
        Fit fit = copy();
        fit.shuffle = shuffle;
        return fit;
    }

    /** Seeds the shuffling; default 0, so that two runs with the same options see the same batches. */
    public Fit seed(long seed) {
        Fit fit = copy();
        fit.seed = seed;
        return fit;
    }

    /**
     * 0: silent; 1: a progress bar rewritten in place; 2: one line per epoch; {@link #AUTO} (the default): 1 when
     * printing to {@code System.out} on a terminal, otherwise 2 (Keras's semantics).
     */
    public Fit verbose(int verbose) {
        if (verbose < AUTO || verbose > 2) {
            throw new IllegalArgumentException("verbose must be 0 (silent), 1 (progress bar), 2 (one line per epoch)"
                    + " or Fit.AUTO, but is " + verbose);
        }
        Fit fit = copy();
        fit.verbose = verbose;
        return fit;
    }

    /** Callbacks, called in the given order (replaces any given before). */
    public Fit callbacks(Callback... callbacks) {
        Fit fit = copy();
        fit.callbacks = List.of(callbacks);
        return fit;
    }

    /** The epoch to start at, from 0 (to resume a training); epochs below it are skipped. Default 0. */
    public Fit initialEpoch(int initialEpoch) {
        if (initialEpoch < 0) {
            throw new IllegalArgumentException("initialEpoch must be at least 0, but is " + initialEpoch);
        }
        Fit fit = copy();
        fit.initialEpoch = initialEpoch;
        return fit;
    }

    /** Ends each epoch after this many batches; 0 (the default) means a whole pass over the data. */
    public Fit stepsPerEpoch(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("stepsPerEpoch must be at least 1, or 0 for a whole pass, but is "
                    + steps);
        }
        Fit fit = copy();
        fit.stepsPerEpoch = steps;
        return fit;
    }

    /** Where the progress display goes; default {@code System.out}. */
    public Fit printTo(PrintStream out) {
        Fit fit = copy();
        fit.out = Objects.requireNonNull(out, "out");
        return fit;
    }

    /**
     * Writes a {@link RunReport} to {@code file} (an HTML page: the model's diagram, its summary, the training curves,
     * each epoch's samples/s, the latest values) after every epoch, replacing it atomically each time.
     */
    public Fit report(Path file) {
        Fit fit = copy();
        fit.report = Objects.requireNonNull(file, "file");
        return fit;
    }

    /** The last epoch's index plus one: epochs {@code initialEpoch .. epochs-1} run. */
    public int epochs() {
        return epochs;
    }

    /** Samples per gradient step. */
    public int batchSize() {
        return batchSize;
    }

    /** The fraction kept for validation; 0 for none. */
    public double validationSplit() {
        return validationSplit;
    }

    /** The validation data, or null. */
    public BatchSource validationData() {
        return validationData;
    }

    /** Whether each epoch visits the samples in a new random order. */
    public boolean shuffle() {
        return shuffle;
    }

    /** The shuffling seed. */
    public long seed() {
        return seed;
    }

    /** 0, 1, 2 or {@link #AUTO}, as given. */
    public int verbose() {
        return verbose;
    }

    /** The callbacks, in calling order. */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /** The first epoch run, from 0. */
    public int initialEpoch() {
        return initialEpoch;
    }

    /** 0 when each epoch is a whole pass. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Where the run report goes, or null for none. */
    public Path report() {
        return report;
    }

    /** The stream progress goes to. */
    public PrintStream out() {
        return out == null ? System.out : out;
    }

    /** {@link #verbose()} with {@link #AUTO} resolved: 1 on a terminal ({@code System.out} with a console), else 2. */
    public int resolvedVerbose() {
        if (verbose != AUTO) {
            return verbose;
        }
        return out() == System.out && System.console() != null ? 1 : 2;
    }

    @Override
    public String toString() {
        return "Fit(epochs=" + epochs + ", batchSize=" + batchSize + ", validationSplit=" + validationSplit
                + ", validationData=" + (validationData == null ? "none" : validationData.size() + " samples")
                + ", shuffle=" + shuffle + ", seed=" + seed + ", verbose=" + (verbose == AUTO ? "auto" : verbose)
                + ", callbacks=" + Arrays.toString(callbacks.stream().map(c -> c.getClass().getSimpleName()).toArray())
                + ", initialEpoch=" + initialEpoch + ", stepsPerEpoch=" + (stepsPerEpoch == 0 ? "all" : stepsPerEpoch)
                + (report == null ? "" : ", report=" + report) + ")";
    }

    private Fit copy() {
        Fit fit = new Fit();
        fit.epochs = epochs;
        fit.batchSize = batchSize;
        fit.validationSplit = validationSplit;
        fit.validationData = validationData;
        fit.shuffle = shuffle;
        fit.seed = seed;
        fit.verbose = verbose;
        fit.callbacks = callbacks;
        fit.initialEpoch = initialEpoch;
        fit.stepsPerEpoch = stepsPerEpoch;
        fit.out = out;
        fit.report = report;
        return fit;
    }
}
