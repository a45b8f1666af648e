package dev.kiln.samples.first;

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
 * The seed {@link FirstNetwork}: predicts on a batch, then learns a noisy linear map {@code y = x @ W + c + e} (W and
 * c drawn from the seed, x uniform in [-1, 1], e normal with standard deviation {@value #NOISE}) by mean squared
 * error. One Dense layer represents {@code x @ W + c} exactly, so the test MSE falls to the noise's variance,
 * {@code NOISE^2 = 0.01}; the result holds it before ({@code initial_loss}) and after ({@code loss}) training.
 */
public final class FirstSample {
    public static final int EPOCHS = 20;
    public static final int BATCH_SIZE = 32;
    public static final double LEARNING_RATE = 1e-2;
    public static final double NOISE = 0.1;
    static final int SAMPLES = 2048;

    private FirstSample() {
    }

    public static Result run(Options options) {
        TrainTest data = linearMap(SAMPLES, options.seed()).trainTestSplit(0.2, options.seed());
        FirstNetworkModel model = FirstNetworkModel.create(options.seed());
        INDArray some = data.test().inputs().get(0).getRows(0, 1, 2, 3);
        INDArray predicted = model.predict(some);  // (4, 32), before any training
        if (!options.quiet()) {
            options.out().println(model.summary());
            options.out().println("predict on 4 samples before training: shape " + shape(predicted));
        }
        model.compile(new Adam(LEARNING_RATE));
        double before = model.evaluate(data.test()).loss();
        History history = model.fit(data.train(), options.fit(EPOCHS, BATCH_SIZE));
        Map<String, Double> test = new LinkedHashMap<>();
        test.put("initial_loss", before);
        test.put("loss", model.evaluate(data.test()).loss());
        return new Result("first", model, history, test);
    }

    /** {@code n} samples of {@code y = x @ W + c + e}, as described above, drawn from {@code seed}. */
    public static Dataset linearMap(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray w = uniform(random, 32, 32).divi(Math.sqrt(32));
        INDArray c = uniform(random, 1, 32);
        INDArray x = uniform(random, n, 32);
        INDArray noise = Nd4j.create(DataType.FLOAT, n, 32);
        for (long i = 0; i < noise.length(); i++) {
            noise.putScalar(i, NOISE * gaussian(random));
        }
        INDArray y = x.mmul(w).addiRowVector(c).addi(noise);
        return Dataset.of(x, y);
    }

    static INDArray uniform(SplittableRandom random, int rows, int columns) {
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return Nd4j.create(values, new long[] {rows, columns}, DataType.FLOAT);
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static String shape(INDArray array) {
        return java.util.Arrays.toString(array.shape());
    }
}
