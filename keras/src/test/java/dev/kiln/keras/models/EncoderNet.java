package dev.kiln.keras.models;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** The encoder nested in fixtures/nested_classifier.keras, with the fixture's layer names. */
@Model
public interface EncoderNet {
    @Input(shape = 6)
    Tensor pixels();

    @Dense(units = 8, activation = Activation.RELU)
    Tensor hidden(Tensor pixels);

    @Dense(units = 4, activation = Activation.TANH)
    @Output
    Tensor code(Tensor hidden);
}
