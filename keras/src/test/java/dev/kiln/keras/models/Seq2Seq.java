package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.SOFTMAX;

import dev.kiln.dsl.DType;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.GRU;
import dev.kiln.dsl.InitialState;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Part;
import dev.kiln.dsl.Tensor;

/**
 * Keras's lstm_seq2seq: an encoder LSTM's final states start a decoder LSTM ({@code initial_state}); a GRU's state is
 * an output of its own.
 */
@Model
public interface Seq2Seq {
    @Input(shape = {5, 3})
    Tensor source();

    @Input(shape = 4, dtype = DType.INT32)
    Tensor previous();

    @Embedding(inputDim = 20, outputDim = 6)
    Tensor previous_vectors(Tensor previous);

    @LSTM(units = 8, returnState = true)
    Tensor encoder(Tensor source);

    @Part("h")
    Tensor encoder_h(Tensor encoder);

    @Part("c")
    Tensor encoder_c(Tensor encoder);

    @LSTM(units = 8, returnSequences = true)
    Tensor decoder(Tensor previous_vectors, @InitialState Tensor encoder_h, @InitialState Tensor encoder_c);

    @Dense(units = 20, activation = SOFTMAX)
    @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY)
    Tensor next(Tensor decoder);

    @GRU(units = 3, returnState = true, goBackwards = true)
    Tensor summary(Tensor source);

    @Part("h")
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor summary_h(Tensor summary);
}
