package dev.kiln.samples.news;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
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
 * Trains {@link NewsHeadlines} on headlines it generates by a known rule, and evaluates it on 20% held out.
 *
 * <p>The rule: a headline is {@value #WORDS} distinct word ids out of {@value #VOCABULARY}, in random order. Words 0-9 are "hot" (+1),
 * words 10-19 "cold" (-1), the rest neutral; the text score is their sum. The metadata are {@value #METADATA} values
 * uniform in [0, 1], of which two matter: the source's reputation {@code r} (feature 2) and the author's following
 * {@code f} (feature 4). Then {@code auxOutput = [score > 0]} (the text alone) and
 * {@code mainOutput = [score + 4 (r - 0.5) + 2 (f - 0.5) > 0]}. Both are exact functions of the inputs, so a perfect
 * model reaches 100%.
 */
public final class NewsSample {
    public static final int VOCABULARY = 100;
    public static final int METADATA = 5;
    public static final int WORDS = 8;
    public static final int EPOCHS = 20;
    public static final int BATCH_SIZE = 64;
    public static final double LEARNING_RATE = 1e-3;
    static final int SAMPLES = 10_000;

    private NewsSample() {
    }

    public static Result run(Options options) {
        TrainTest data = headlines(SAMPLES, options.seed()).trainTestSplit(0.2, options.seed());
        NewsHeadlinesModel model = NewsHeadlinesModel.create(options.seed());
        if (!options.quiet()) {
            options.out().println(model.summary());
        }
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(data.train(), options.fit(EPOCHS, BATCH_SIZE));
        return Result.of("news", model, history, model.evaluate(data.test()));
    }

    /** {@code n} headlines by the rule above, inputs and targets keyed by the model's node names. */
    public static Dataset headlines(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] words = new int[n * WORDS];
        boolean[] used = new boolean[VOCABULARY];
        float[] metadata = new float[n * METADATA];
        float[] text = new float[n];
        float[] popular = new float[n];
        for (int i = 0; i < n; i++) {
            int score = 0;
            java.util.Arrays.fill(used, false);
            for (int k = 0; k < WORDS; k++) {
                int word;
                do {
                    word = random.nextInt(VOCABULARY);
                } while (used[word]);
                used[word] = true;
                words[i * WORDS + k] = word;
                score += word < 10 ? 1 : word < 20 ? -1 : 0;
            }
            for (int m = 0; m < METADATA; m++) {
                metadata[i * METADATA + m] = (float) random.nextDouble();
            }
            double reputation = metadata[i * METADATA + 2];
            double following = metadata[i * METADATA + 4];
            text[i] = score > 0 ? 1 : 0;
            popular[i] = score + 4 * (reputation - 0.5) + 2 * (following - 0.5) > 0 ? 1 : 0;
        }
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        inputs.put("mainInput", Nd4j.createFromArray(words).reshape(n, WORDS));
        inputs.put("auxInput", Nd4j.create(metadata, new long[] {n, METADATA}, DataType.FLOAT));
        Map<String, INDArray> targets = new LinkedHashMap<>();
        targets.put("mainOutput", Nd4j.create(popular, new long[] {n, 1}, DataType.FLOAT));
        targets.put("auxOutput", Nd4j.create(text, new long[] {n, 1}, DataType.FLOAT));
        return Dataset.of(inputs, targets);
    }
}
