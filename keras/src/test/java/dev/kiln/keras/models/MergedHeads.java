package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SOFTMAX;

import dev.kiln.dsl.Concatenate;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Subtract;
import dev.kiln.dsl.Tensor;

/** Two inputs, two merges, two outputs: a Functional model for the converter. */
@Model
public interface MergedHeads {
    @Input(shape = 5)
    Tensor a();

    @Input(shape = 5)
    Tensor b();

    @Subtract
    Tensor diff(Tensor a, Tensor b);

    @Concatenate
    Tensor both(Tensor a, Tensor diff);

    @Dense(units = 6, activation = RELU)
    Tensor hidden(Tensor both);

    @Dense(units = 3, activation = SOFTMAX)
    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY)
    Tensor klass(Tensor hidden);

    @Dense(units = 1)
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor score(Tensor diff);
}
