package dev.kiln.samples.brackets;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.DType.INT32;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.GlobalAveragePooling1D;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * {@link BalancedBrackets} without the order: the mean of the characters' embeddings over the string (the mask keeps
 * the padding out of it), then an MLP. Whatever it learns, it sees a string and its near miss alike.
 */
@Model
interface OrderBlindBrackets {
    @Input(shape = BracketsSample.MAX_LENGTH, dtype = INT32)
    Tensor tokens();

    @Embedding(inputDim = BracketsSample.VOCABULARY, outputDim = 8, maskZero = true)
    Tensor embedded(Tensor tokens);

    @GlobalAveragePooling1D
    Tensor mean(Tensor embedded);

    @Dense(units = 32, activation = RELU)
    Tensor hidden(Tensor mean);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY, metrics = ACCURACY)
    Tensor balanced(Tensor hidden);
}
