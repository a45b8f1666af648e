package dev.kiln.samples.gan;

import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LeakyReLU;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** The GAN's discriminator: is an 8x8 image a real digit (1) or the generator's (0)? */
@Model
public interface DigitCritic {
    @Input(shape = 64)
    Tensor image();

    @Dense(units = 128)
    Tensor hidden(Tensor image);

    @LeakyReLU(negativeSlope = 0.2)
    Tensor leaky(Tensor hidden);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY)
    Tensor real(Tensor leaky);
}
