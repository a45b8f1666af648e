package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.SIGMOID;

import dev.kiln.dsl.Bidirectional;
import dev.kiln.dsl.DType;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** A text classifier with a Bidirectional LSTM: the wrapper's weights under its two copies, as Keras 3 saves them. */
@Model
public interface BiSentiment {
    @Input(shape = 6, dtype = DType.INT32)
    Tensor words();

    @Embedding(inputDim = 20, outputDim = 4)
    Tensor vectors(Tensor words);

    @Bidirectional
    @LSTM(units = 3)
    Tensor both(Tensor vectors);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = Loss.BINARY_CROSSENTROPY)
    Tensor positive(Tensor both);
}
