package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SIGMOID;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** The churn MLP with Kiln's own names: matched to a file's layers in order. */
@Model
public interface ChurnNet {
    @Input(shape = 12)
    Tensor customer();

    @Dense(units = 64, activation = RELU)
    Tensor hidden(Tensor customer);

    @Dense(units = 32, activation = RELU)
    Tensor narrower(Tensor hidden);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = Loss.BINARY_CROSSENTROPY)
    Tensor churn(Tensor narrower);
}
