package dev.kiln.samples.digits;

import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.History;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;

/**
 * Trains {@link DigitsMlp} on the embedded 8x8 digits: 80% of the 1,797 images (shuffled with the seed) train, the
 * other 20% are held out and evaluated at the end.
 */
public final class DigitsSample {
    public static final int EPOCHS = 50;
    public static final int BATCH_SIZE = 32;
    public static final double LEARNING_RATE = 3e-3;

    private DigitsSample() {
    }

    public static Result run(Options options) {
        TrainTest data = Digits.trainTestSplit(0.2, options.seed());
        DigitsMlpModel model = DigitsMlpModel.create(options.seed());
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(data.train(), options.fit(EPOCHS, BATCH_SIZE));
        return Result.of("digits", model, history, model.evaluate(data.test()));
    }
}
