package dev.kiln.samples.reverse;

import static dev.kiln.samples.reverse.ReverseSequences.LENGTH;
import static dev.kiln.samples.reverse.ReverseSequences.VOCABULARY;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.History;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@link ReverseSequences} to reverse random sequences of {@value ReverseSequences#LENGTH} ids (1 to 9, each
 * uniform), 20% held out, with teacher forcing. On the held-out sequences it reports the loss and the accuracy of each
 * next id given the true ones before it ({@code accuracy}), and the share of sequences that greedy decoding reverses
 * exactly ({@code sequence_accuracy}): the decoder starts from the start id and reads back its own most likely ids.
 */
public final class ReverseSample {
    public static final int EPOCHS = 8;
    public static final int BATCH_SIZE = 64;
    public static final double LEARNING_RATE = 3e-3;
    static final int SEQUENCES = 10_000;
    /** The decoder's first input. */
    static final int START = 0;

    private ReverseSample() {
    }

    public static Result run(Options options) {
        TrainTest data = sequences(SEQUENCES, options.seed()).trainTestSplit(0.2, options.seed());
        ReverseSequencesModel model = ReverseSequencesModel.create(options.seed());
        if (!options.quiet()) {
            options.out().println(model.summary());
        }
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(data.train(), options.fit(EPOCHS, BATCH_SIZE));
        Evaluation evaluation = model.evaluate(data.test());
        Map<String, Double> test = new LinkedHashMap<>(evaluation.asMap());
        test.put("sequence_accuracy", greedyAccuracy(model, data.test()));
        return new Result("reverse", model, history, test);
    }

    /** {@code n} random sequences: inputs {@code source} and {@code previous} (int32 ids), target {@code next}. */
    public static Dataset sequences(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] source = new int[n][LENGTH];
        int[][] previous = new int[n][LENGTH];
        float[] next = new float[n * LENGTH];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < LENGTH; t++) {
                source[i][t] = 1 + random.nextInt(VOCABULARY - 1);
            }
            for (int t = 0; t < LENGTH; t++) {
                int answer = source[i][LENGTH - 1 - t];
                next[i * LENGTH + t] = answer;
                if (t + 1 < LENGTH) {
                    previous[i][t + 1] = answer;
                }
            }
            previous[i][0] = START;
        }
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        inputs.put("source", Nd4j.createFromArray(source));
        inputs.put("previous", Nd4j.createFromArray(previous));
        return Dataset.of(inputs, Map.of("next", Nd4j.create(next, new long[] {n, LENGTH}, DataType.FLOAT)));
    }

    /**
     * The share of {@code data}'s sequences that greedy decoding reverses exactly. The decoder is causal (step
     * {@code t} reads the inputs up to {@code t}), so running the whole model with the ids decoded so far and reading
     * step {@code t} is decoding step {@code t}: {@value ReverseSequences#LENGTH} passes decode every sequence.
     */
    static double greedyAccuracy(ReverseSequencesModel model, Dataset data) {
        INDArray source = data.inputs().get(0);
        INDArray expected = data.targets().get(0);
        int n = Math.toIntExact(source.size(0));
        INDArray previous = Nd4j.zeros(DataType.INT32, n, LENGTH).addi(START);
        int[][] decoded = new int[n][LENGTH];
        for (int t = 0; t < LENGTH; t++) {
            INDArray probabilities = model.predict(source, previous);
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int k = 1; k < VOCABULARY; k++) {
                    if (probabilities.getDouble(i, t, k) > probabilities.getDouble(i, t, best)) {
                        best = k;
                    }
                }
                decoded[i][t] = best;
                if (t + 1 < LENGTH) {
                    previous.putScalar(i, t + 1, best);
                }
            }
        }
        int exact = 0;
        for (int i = 0; i < n; i++) {
            boolean same = true;
            for (int t = 0; t < LENGTH; t++) {
                same &= decoded[i][t] == (int) expected.getDouble(i, t);
            }
            exact += same ? 1 : 0;
        }
        return (double) exact / n;
    }
}
