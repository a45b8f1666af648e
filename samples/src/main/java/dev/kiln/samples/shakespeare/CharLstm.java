package dev.kiln.samples.shakespeare;

import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.DType.INT32;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.TimeDistributed;

/**
 * A character-level language model, as in Karpathy's char-rnn: a window of {@value ShakespeareSample#STEPS}
 * characters, each read as its id in {@link ShakespeareSample#ALPHABET}, and at every step the probabilities of the
 * character that comes next. Trained by sparse categorical cross-entropy against the window shifted by one, so each
 * window gives {@value ShakespeareSample#STEPS} predictions, the first from one character of context and the last
 * from all of them.
 *
 * <p>The Keras program: {@code chars = Input((100,), dtype="int32"); Embedding(65, 32)} {@code → LSTM(128,
 * return_sequences=True) → TimeDistributed(Dense(65, activation="softmax"))}.
 */
@Model
public interface CharLstm {
    @Input(shape = ShakespeareSample.STEPS, dtype = INT32)
    Tensor chars();

    @Embedding(inputDim = ShakespeareSample.VOCABULARY, outputDim = 32)
    Tensor embedded(Tensor chars);

    @LSTM(units = 128, returnSequences = true)
    Tensor states(Tensor embedded);

    @TimeDistributed
    @Dense(units = ShakespeareSample.VOCABULARY, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor nextChar(Tensor states);
}
