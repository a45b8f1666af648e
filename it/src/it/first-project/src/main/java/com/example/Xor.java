package com.example;

import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.Activation.TANH;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** XOR, the smallest problem a network must learn. */
@Model
interface Xor {
    @Input(shape = 2)
    Tensor bits();

    @Dense(units = 8, activation = TANH)
    Tensor hidden(Tensor bits);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY)
    Tensor xor(Tensor hidden);
}
