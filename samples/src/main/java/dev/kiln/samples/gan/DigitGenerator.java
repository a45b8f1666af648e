package dev.kiln.samples.gan;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SIGMOID;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * The GAN's generator: 16 numbers of noise to an 8x8 digit, pixels in [0, 1] as the embedded digits have them. It has
 * no loss of its own: it learns from the critic's input gradients, through a {@code Tape}.
 */
@Model
public interface DigitGenerator {
    @Input(shape = 16)
    Tensor noise();

    @Dense(units = 64, activation = RELU)
    Tensor hidden(Tensor noise);

    @Dense(units = 128, activation = RELU)
    Tensor wider(Tensor hidden);

    @Dense(units = 64, activation = SIGMOID)
    @Output
    Tensor image(Tensor wider);
}
