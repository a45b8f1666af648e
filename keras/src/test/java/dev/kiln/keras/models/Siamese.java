package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.Activation.TANH;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Shared;
import dev.kiln.dsl.Subtract;
import dev.kiln.dsl.Tensor;

/** fixtures/shared_siamese (make_fixtures.py): one Dense applied to both inputs, with the fixture's layer names. */
@Model
public interface Siamese {
    @Input(shape = 5)
    Tensor left();

    @Input(shape = 5)
    Tensor right();

    @Dense(units = 4, activation = TANH)
    Tensor encoder(Tensor left);

    @Shared("encoder")
    Tensor encoderRight(Tensor right);

    @Subtract
    Tensor diff(Tensor encoder, Tensor encoderRight);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = Loss.BINARY_CROSSENTROPY)
    Tensor score(Tensor diff);
}
