package dev.kiln.samples.reverse;

import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.DType.INT32;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.InitialState;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Part;
import dev.kiln.dsl.Tensor;

/**
 * Keras's encoder–decoder ({@code lstm_seq2seq}): an encoder LSTM reads the sequence and hands its final states, not
 * its output, to a decoder LSTM, which writes the answer one id at a time. Trained with teacher forcing: the decoder
 * reads the answer so far (shifted right behind a start id) and predicts each next id. Here the answer is the sequence
 * reversed.
 */
@Model
public interface ReverseSequences {
    /** The ids of every sequence, 1 to 9. */
    int LENGTH = 6;

    /** The ids and the start id 0. */
    int VOCABULARY = 10;

    /** The sequence to reverse. */
    @Input(shape = LENGTH, dtype = INT32)
    Tensor source();

    /** The decoder's input: the start id, then the answer but its last id. */
    @Input(shape = LENGTH, dtype = INT32)
    Tensor previous();

    @Embedding(inputDim = VOCABULARY, outputDim = 16)
    Tensor sourceVectors(Tensor source);

    @Embedding(inputDim = VOCABULARY, outputDim = 16)
    Tensor previousVectors(Tensor previous);

    /** {@code _, h, c = LSTM(64, return_state=True)(x)}: only the final states are used. */
    @LSTM(units = 64, returnState = true)
    Tensor encoder(Tensor sourceVectors);

    @Part("h")
    Tensor stateH(Tensor encoder);

    @Part("c")
    Tensor stateC(Tensor encoder);

    /** {@code LSTM(64, return_sequences=True)(y, initial_state=[h, c])}. */
    @LSTM(units = 64, returnSequences = true)
    Tensor decoder(Tensor previousVectors, @InitialState Tensor stateH, @InitialState Tensor stateC);

    /** The next id at every step. */
    @Dense(units = VOCABULARY, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor next(Tensor decoder);
}
