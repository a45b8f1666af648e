package dev.kiln.samples.shakespeare;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.ExponentialDecay;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.LambdaCallback;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@link CharLstm} on Shakespeare and writes some Shakespeare of its own after each epoch.
 *
 * <p>The text is the first {@value #TEXT_LENGTH} characters of char-rnn's {@code tinyshakespeare} (public domain; see
 * {@code NOTICE.md} beside {@value #TEXT}). Its last {@value #VALIDATION_LENGTH} characters are held out for
 * validation; the rest trains. Both are cut into windows of {@value #STEPS} characters, each with the same window
 * shifted by one character as its targets. The loss is the mean cross-entropy of the next character in nats over
 * every step of every window; its baseline is the text's unigram entropy (3.31 nats: predicting each character by its
 * frequency alone), the uniform guess's is ln 65 = 4.17. Adam starts at {@value #LEARNING_RATE} and halves every
 * {@value #HALF_LIFE} steps (the {@value #EPOCHS} epochs of {@value #BATCH_SIZE} windows a step take 1,782), clipping
 * each gradient's norm to {@value #CLIPNORM}. The result's test metrics are the last epoch's validation loss and
 * accuracy (measured with seed 42: 1.692 and 49.9%; see the README).
 *
 * <p>After each epoch (unless quiet) the model continues the validation text's first window for
 * {@value #SAMPLE_LENGTH} characters, drawing each from its predicted distribution sharpened by a temperature of
 * {@value #TEMPERATURE}, with a generator seeded by the run's seed and the epoch: the same run writes the same text.
 */
public final class ShakespeareSample {
    /** The characters of the text, in code order: id {@code i} is {@code ALPHABET.charAt(i)}. */
    public static final String ALPHABET = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** {@code ALPHABET.length()}, as a constant the model's annotations can use. */
    public static final int VOCABULARY = 65;
    public static final int STEPS = 100;
    public static final int EPOCHS = 3;
    public static final int BATCH_SIZE = 16;
    /** Adam's learning rate at the first step; it halves every {@value #HALF_LIFE} steps. */
    public static final double LEARNING_RATE = 1e-2;
    public static final int HALF_LIFE = 1000;
    /** Keras's {@code clipnorm}: no variable's gradient is longer than this. */
    public static final double CLIPNORM = 5;
    /** The resource holding the text, beside this class. */
    static final String TEXT = "tinyshakespeare.txt";
    static final int TEXT_LENGTH = 999_985;
    static final int VALIDATION_LENGTH = 50_000;
    static final int SAMPLE_LENGTH = 300;
    static final double TEMPERATURE = 0.8;

    private ShakespeareSample() {
    }

    public static Result run(Options options) {
        return run(options, TEXT_LENGTH - VALIDATION_LENGTH);
    }

    /**
     * Trains on the first {@code trainingLength} characters of the training text (a shorter run for tests) and
     * validates on the whole held-out text.
     */
    static Result run(Options options, int trainingLength) {
        String text = text();
        int validationStart = text.length() - VALIDATION_LENGTH;
        if (trainingLength < STEPS + 1 || trainingLength > validationStart) {
            throw new IllegalArgumentException("the training text is " + (STEPS + 1) + " to " + validationStart
                    + " characters long, not " + trainingLength);
        }
        int[] ids = ids(text);
        Dataset train = windows(ids, 0, trainingLength);
        Dataset validation = windows(ids, validationStart, text.length());
        String prompt = text.substring(validationStart, validationStart + STEPS);
        CharLstmModel model = CharLstmModel.create(options.seed());
        if (!options.quiet()) {
            options.out().println(model.summary());
        }
        model.compile(new Adam(new ExponentialDecay(LEARNING_RATE, HALF_LIFE, 0.5)).clipnorm(CLIPNORM));
        LambdaCallback writer = new LambdaCallback().atEpochEnd((epoch, logs) -> {
            if (!options.quiet()) {
                String more = generate(model, prompt, SAMPLE_LENGTH, TEMPERATURE,
                        new SplittableRandom(options.seed() * 31 + epoch));
                options.out().printf(Locale.ROOT, "--- epoch %d, temperature %.1f: %s%n%s%s%n---%n", epoch + 1,
                        TEMPERATURE, "the validation text's first window, then the model's", prompt, more);
            }
        });
        History history = model.fit(train, options.fit(EPOCHS, BATCH_SIZE).validationData(validation)
                .callbacks(writer));
        // the last epoch's validation is the final one: the weights have not changed since
        Map<String, Double> heldOut = new LinkedHashMap<>();
        for (String name : List.of("loss", "accuracy")) {
            heldOut.put(name, history.last("val_" + name));
        }
        return new Result("shakespeare", model, history, heldOut);
    }

    /** The shipped text, {@value #TEXT_LENGTH} characters of Shakespeare. */
    public static String text() {
        try (InputStream in = ShakespeareSample.class.getResourceAsStream(TEXT)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + TEXT + " is missing beside "
                        + ShakespeareSample.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(TEXT + ": " + e.getMessage(), e);
        }
    }

    /** Each character's id in {@link #ALPHABET}; a character outside it is an exception naming it and its place. */
    public static int[] ids(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ALPHABET.indexOf(text.charAt(i));
            if (ids[i] < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "character %d of the text, U+%04X, is not in the model's alphabet %s", i,
                        (int) text.charAt(i), ALPHABET.replace("\n", "\\n")));
            }
        }
        return ids;
    }

    /**
     * The text's ids from {@code from} to {@code to} as windows of {@value #STEPS} one after the other, each with the
     * ids one character later as its targets; an incomplete last window is left out.
     */
    static Dataset windows(int[] ids, int from, int to) {
        int n = (to - from - 1) / STEPS;
        int[] chars = new int[n * STEPS];
        float[] next = new float[n * STEPS];
        for (int w = 0; w < n; w++) {
            for (int t = 0; t < STEPS; t++) {
                int at = from + w * STEPS + t;
                chars[w * STEPS + t] = ids[at];
                next[w * STEPS + t] = ids[at + 1];
            }
        }
        return Dataset.of(Nd4j.createFromArray(chars).reshape(n, STEPS),
                Nd4j.create(next, new long[] {n, STEPS}, DataType.FLOAT));
    }

    /**
     * {@code length} characters that follow {@code prompt} by the model: each drawn by {@code random} from the
     * prediction after the last {@value #STEPS} characters so far, with probabilities {@code p^(1 / temperature)}
     * renormalized (below 1 sharper than the model, above 1 flatter).
     */
    public static String generate(CharLstmModel model, String prompt, int length, double temperature,
            SplittableRandom random) {
        if (prompt.length() < STEPS) {
            throw new IllegalArgumentException("the prompt has " + prompt.length() + " characters; the model reads "
                    + STEPS);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("the temperature must be positive, not " + temperature);
        }
        int[] window = ids(prompt.substring(prompt.length() - STEPS));
        INDArray input = Nd4j.createFromArray(window).reshape(1, STEPS);
        double[] weights = new double[VOCABULARY];
        StringBuilder out = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            INDArray probabilities = model.predictBatch(new INDArray[] {input})[0];
            double total = 0;
            for (int c = 0; c < VOCABULARY; c++) {
                weights[c] = Math.pow(probabilities.getDouble(0, STEPS - 1, c), 1 / temperature);
                total += weights[c];
            }
            int chosen = draw(weights, total * random.nextDouble());
            out.append(ALPHABET.charAt(chosen));
            System.arraycopy(window, 1, window, 0, STEPS - 1);
            window[STEPS - 1] = chosen;
            input.assign(Nd4j.createFromArray(window).reshape(1, STEPS));
        }
        return out.toString();
    }

    /** The index at which the running sum of {@code weights} passes {@code u}. */
    private static int draw(double[] weights, double u) {
        double sum = 0;
        for (int c = 0; c < weights.length - 1; c++) {
            sum += weights[c];
            if (u < sum) {
                return c;
            }
        }
        return weights.length - 1;
    }
}
