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
 * Trains {@link FashionMlp} on Fashion-MNIST's 60,000 training images and evaluates it on the 10,000 test images.
 * The data come from {@code --data DIR} (any directory of MNIST-format IDX files, gzipped or not) or else from
 * {@link FashionMnist#directory()}, where Debian's {@code dataset-fashion-mnist} package installs them.
 */
public final class FashionSample {
    public static final int EPOCHS = 5;
    public static final int BATCH_SIZE = 128;
    public static final double LEARNING_RATE = 1e-3;

    private FashionSample() {
    }

    public static Result run(Options options) {
        TrainTest data;
        try {
            data = options.data() == null ? FashionMnist.load() : FashionMnist.load(options.data());
        } catch (IOException e) {
            String from = options.data() == null ? "" : "--data " + options.data() + ": ";
            throw new UncheckedIOException(from + e.getMessage(), e);
        }
        FashionMlpModel model = FashionMlpModel.create(options.seed());
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(data.train(), options.fit(EPOCHS, BATCH_SIZE));
        return Result.of("fashion", model, history, model.evaluate(data.test(), 1000));
    }
}
