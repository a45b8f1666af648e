package dev.kiln.samples.siamese;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.History;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@link SiameseDigits} on pairs of the embedded digits. The images are split 80/20 first (with the seed), and
 * pairs are made within each part, so the test pairs are of images the model never saw. Each image is paired with
 * {@value #PAIRS_PER_IMAGE} partners, half of its own digit and half of another, so "same" is half the pairs.
 */
public final class SiameseSample {
    public static final int EPOCHS = 10;
    public static final int BATCH_SIZE = 32;
    public static final double LEARNING_RATE = 3e-3;
    public static final int PAIRS_PER_IMAGE = 10;

    private SiameseSample() {
    }

    public static Result run(Options options) {
        TrainTest images = Digits.trainTestSplit(0.2, options.seed());
        Dataset train = pairs(images.train(), PAIRS_PER_IMAGE, options.seed());
        Dataset test = pairs(images.test(), 2, options.seed() + 1);
        SiameseDigitsModel model = SiameseDigitsModel.create(options.seed());
        if (!options.quiet()) {
            options.out().println(model.summary());
        }
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(train, options.fit(EPOCHS, BATCH_SIZE));
        return Result.of("siamese", model, history, model.evaluate(test));
    }

    /**
     * Pairs of {@code digits}' images, {@code perImage} (even) for each image: inputs {@code left} and {@code right}
     * (each {@code (n, 64)}), target {@code same} (1 when both show one digit).
     */
    public static Dataset pairs(Dataset digits, int perImage, long seed) {
        INDArray pixels = digits.inputs().get(0);
        double[] labels = digits.targets().get(0).toDoubleVector();
        List<List<Integer>> byDigit = new ArrayList<>();
        for (int d = 0; d < Digits.CLASSES; d++) {
            byDigit.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byDigit.get((int) labels[i]).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int n = labels.length * perImage;
        int[] left = new int[n];
        int[] right = new int[n];
        float[] same = new float[n];
        for (int i = 0, p = 0; i < labels.length; i++) {
            int digit = (int) labels[i];
            for (int k = 0; k < perImage; k++, p++) {
                int other = k % 2 == 0 ? digit : (digit + 1 + random.nextInt(Digits.CLASSES - 1)) % Digits.CLASSES;
                List<Integer> candidates = byDigit.get(other);
                left[p] = i;
                int partner;
                do {
                    partner = candidates.get(random.nextInt(candidates.size()));
                } while (partner == i && candidates.size() > 1); // never an image with itself
                right[p] = partner;
                same[p] = other == digit ? 1 : 0;
            }
        }
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        inputs.put("left", pixels.getRows(left));
        inputs.put("right", pixels.getRows(right));
        return Dataset.of(inputs, Map.of("same", Nd4j.create(same, new long[] {n, 1}, DataType.FLOAT)));
    }
}
