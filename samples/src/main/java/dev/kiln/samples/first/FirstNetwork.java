package dev.kiln.samples.first;

import static dev.kiln.dsl.Loss.MEAN_SQUARED_ERROR;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** The seed example, Keras's {@code a = Input(shape=(32,)); b = Dense(32)(a); Model(a, b)}, trained by MSE. */
@Model
public interface FirstNetwork {
    @Input(shape = 32)
    Tensor a();

    @Dense(units = 32)
    @Output(loss = MEAN_SQUARED_ERROR)
    Tensor b(Tensor a);
}
