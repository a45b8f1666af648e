package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.Activation.TANH;

import dev.kiln.dsl.Add;
import dev.kiln.dsl.Concatenate;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.GRU;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Shared;
import dev.kiln.dsl.Tensor;

/** Two inputs through one shared layer, a merge, a GRU branch and two outputs: the Functional layout's cases. */
@Model
public interface TwoTowers {
    @Input(shape = 6)
    Tensor left();

    @Input(shape = 6)
    Tensor right();

    @Input(shape = {5, 3})
    Tensor series();

    @Dense(units = 8, activation = TANH)
    Tensor encode(Tensor left);

    @Shared("encode")
    Tensor encodeRight(Tensor right);

    @Add
    Tensor sum(Tensor encode, Tensor encodeRight);

    @GRU(units = 4)
    Tensor gru(Tensor series);

    @Concatenate
    Tensor joined(Tensor sum, Tensor gru);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = Loss.BINARY_CROSSENTROPY)
    Tensor same(Tensor joined);

    @Dense(units = 3)
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor score(Tensor sum);
}
