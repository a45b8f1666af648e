package dev.kiln.samples.fashion;

import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.History;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Trains {@link FashionResNet} on Fashion-MNIST for one epoch and evaluates it on the 10,000 test images; data as for
 * {@link FashionSample}.
 */
public final class FashionResNetSample {
    public static final int EPOCHS = 1;
    public static final int BATCH_SIZE = 64;
    public static final double LEARNING_RATE = 1e-3;

    private FashionResNetSample() {
    }

    public static Result run(Options options) {
        TrainTest data;
        try {
            data = options.data() == null ? FashionMnist.load() : FashionMnist.load(options.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        FashionResNetModel model = FashionResNetModel.create(options.seed());
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(data.train(), options.fit(EPOCHS, BATCH_SIZE));
        return Result.of("fashion-resnet", model, history, model.evaluate(data.test(), 1000));
    }
}
