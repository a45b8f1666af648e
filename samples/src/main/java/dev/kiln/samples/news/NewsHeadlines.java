package dev.kiln.samples.news;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.DType.INT32;
import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Concatenate;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * The Keras functional-API guide's "multi-input and multi-output model": will a news headline get many reactions?
 * The headline's text feeds a text branch; its prediction ({@code auxOutput}, weighted 0.2) helps that branch learn
 * early; then the text features meet the headline's metadata ({@code auxInput}) and the deep part predicts
 * {@code mainOutput} (weighted 1.0).
 *
 * <p>As in the guide, the headline is a sequence of word ids read through an {@code Embedding} and an {@code LSTM(32)}
 * (the guide's vocabulary of 10,000 words and 512-wide embedding are smaller here, to fit the generated data).
 */
@Model
public interface NewsHeadlines {
    @Input(shape = NewsSample.WORDS, dtype = INT32)
    Tensor mainInput();

    @Input(shape = NewsSample.METADATA)
    Tensor auxInput();

    @Embedding(inputDim = NewsSample.VOCABULARY, outputDim = 16)
    Tensor words(Tensor mainInput);

    @LSTM(units = 32)
    Tensor textFeatures(Tensor words);

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
