package dev.kiln.samples.siamese;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Nested;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Shared;
import dev.kiln.dsl.Subtract;
import dev.kiln.dsl.Tensor;

/**
 * A siamese network: do two 8x8 images show the same digit? One encoder ({@link DigitEncoder}, nested) is applied to
 * both images with the same weights ({@code @Shared}), so both are described in the same terms; a small head reads
 * the difference of the two descriptions. The Keras program:
 *
 * <pre>
 * encoder = keras.Model(...)                    # DigitEncoder
 * l, r = encoder(left), encoder(right)          # one set of weights, gradients summed
 * same = Dense(1, "sigmoid")(Dense(32, "relu")(Subtract()([l, r])))
 * </pre>
 */
@Model
public interface SiameseDigits {
    @Input(shape = 64)
    Tensor left();

    @Input(shape = 64)
    Tensor right();

    @Nested(DigitEncoder.class)
    Tensor encodedLeft(Tensor left);

    @Shared("encodedLeft")
    Tensor encodedRight(Tensor right);

    @Subtract
    Tensor difference(Tensor encodedLeft, Tensor encodedRight);

    /** ReLU units of the signed difference, so the head can weigh how far apart the two are in each direction. */
    @Dense(units = 32, activation = RELU)
    Tensor compare(Tensor difference);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY, metrics = ACCURACY)
    Tensor same(Tensor compare);
}
