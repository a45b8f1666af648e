package dev.kiln.samples.residual;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.History;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@link ResidualSpirals} on three interleaved spiral arms (the classic toy problem of CS231n), 20% held out.
 * Arm {@code k}'s {@code i}-th of {@code m} points lies at radius {@code r = i / m} and angle
 * {@code 4k + 4r + noise}, noise normal with standard deviation {@value #NOISE} (radians); no line separates the arms.
 */
public final class ResidualSample {
    public static final int EPOCHS = 30;
    public static final int BATCH_SIZE = 32;
    public static final double LEARNING_RATE = 3e-3;
    public static final double NOISE = 0.1;
    static final int POINTS_PER_ARM = 1000;
    static final int ARMS = 3;

    private ResidualSample() {
    }

    public static Result run(Options options) {
        TrainTest data = spirals(POINTS_PER_ARM, options.seed()).trainTestSplit(0.2, options.seed());
        ResidualSpiralsModel model = ResidualSpiralsModel.create(options.seed());
        if (!options.quiet()) {
            options.out().println(model.summary());
        }
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(data.train(), options.fit(EPOCHS, BATCH_SIZE));
        return Result.of("residual", model, history, model.evaluate(data.test()));
    }

    /** {@code perArm} points of each of the three arms: points {@code (n, 2)} and arm ids {@code (n)}. */
    public static Dataset spirals(int perArm, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = perArm * ARMS;
        float[] points = new float[2 * n];
        float[] arms = new float[n];
        for (int k = 0; k < ARMS; k++) {
            for (int i = 0; i < perArm; i++) {
                int s = k * perArm + i;
                double r = (double) i / perArm;
                double angle = 4 * k + 4 * r + NOISE * gaussian(random);
                points[2 * s] = (float) (r * Math.sin(angle));
                points[2 * s + 1] = (float) (r * Math.cos(angle));
                arms[s] = k;
            }
        }
        return Dataset.of(Nd4j.create(points, new long[] {n, 2}, DataType.FLOAT),
                Nd4j.create(arms, new long[] {n}, DataType.FLOAT));
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
