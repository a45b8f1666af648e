package dev.kiln.samples.brackets;

import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.DType.INT32;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Bidirectional;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * A sequence classifier: are the brackets of a string balanced? The string comes as token ids padded with 0 to
 * {@value BracketsSample#MAX_LENGTH} ({@link BracketsSample#TOKENS}); the embedding's {@code maskZero} makes both
 * directions of the LSTM skip the padding, so each reads only the string itself, one left to right and one right to
 * left, and the classifier sees both final states side by side.
 *
 * <p>The Keras program: {@code tokens = Input((24,), dtype="int32"); Embedding(7, 8, mask_zero=True)}
 * {@code → Bidirectional(LSTM(16)) → Dense(1, activation="sigmoid")}.
 */
@Model
public interface BalancedBrackets {
    @Input(shape = BracketsSample.MAX_LENGTH, dtype = INT32)
    Tensor tokens();

    @Embedding(inputDim = BracketsSample.VOCABULARY, outputDim = 8, maskZero = true)
    Tensor embedded(Tensor tokens);

    @Bidirectional
    @LSTM(units = 16)
    Tensor read(Tensor embedded);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY, metrics = ACCURACY)
    Tensor balanced(Tensor read);
}
