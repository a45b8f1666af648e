package dev.kiln.samples.news;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Concatenate;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * The Keras functional-API guide's "multi-input and multi-output model": will a news headline get many reactions?
 * The headline's text feeds a text branch; its prediction ({@code auxOutput}, weighted 0.2) helps that branch learn
 * early; then the text features meet the headline's metadata ({@code auxInput}) and the deep part predicts
 * {@code mainOutput} (weighted 1.0).
 *
 * <p>The guide reads the headline as word ids through {@code Embedding(10000, 512)} and {@code LSTM(32)}. Kiln has no
 * Embedding or LSTM yet, so this model takes the headline as a bag of words (one 0/1 entry per vocabulary word) and
 * {@code textFeatures}, a Dense layer of the LSTM's 32 units, stands in for the two layers.
 */
@Model
public interface NewsHeadlines {
    @Input(shape = NewsSample.VOCABULARY)
    Tensor mainInput();

    @Input(shape = NewsSample.METADATA)
    Tensor auxInput();

    /** Stands in for {@code LSTM(32)(Embedding(...)(mainInput))}. */
    @Dense(units = 32, activation = RELU)
    Tensor textFeatures(Tensor mainInput);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY, lossWeight = 0.2, metrics = ACCURACY)
    Tensor auxOutput(Tensor textFeatures);

    @Concatenate
    Tensor merged(Tensor textFeatures, Tensor auxInput);

    @Dense(units = 64, activation = RELU)
    Tensor dense1(Tensor merged);

    @Dense(units = 64, activation = RELU)
    Tensor dense2(Tensor dense1);

    @Dense(units = 64, activation = RELU)
    Tensor dense3(Tensor dense2);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY, lossWeight = 1.0, metrics = ACCURACY)
    Tensor mainOutput(Tensor dense3);
}
