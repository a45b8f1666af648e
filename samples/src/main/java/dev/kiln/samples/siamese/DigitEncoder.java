package dev.kiln.samples.siamese;

import static dev.kiln.dsl.Activation.RELU;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** Maps an 8x8 digit to 32 numbers; {@link SiameseDigits} applies it, with one set of weights, to both images. */
@Model
public interface DigitEncoder {
    @Input(shape = 64)
    Tensor pixels();

    @Dense(units = 64, activation = RELU)
    Tensor hidden(Tensor pixels);

    @Dense(units = 32)
    @Output
    Tensor embedding(Tensor hidden);
}
