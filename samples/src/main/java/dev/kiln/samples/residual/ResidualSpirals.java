package dev.kiln.samples.residual;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.ActivationLayer;
import dev.kiln.dsl.Add;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * A classifier with one residual block, as in ResNet: {@code block = relu(stem + inner2(inner1(stem)))}. The
 * {@code @Add} joins the block's input ({@code stem}) to what its two Dense layers made of it, so the block learns a
 * correction of its input rather than a new representation. Here it tells the three arms of a spiral apart.
 */
@Model
public interface ResidualSpirals {
    /** A point (x, y) of the plane. */
    @Input(shape = 2)
    Tensor point();

    @Dense(units = 64, activation = RELU)
    Tensor stem(Tensor point);

    @Dense(units = 64, activation = RELU)
    Tensor inner1(Tensor stem);

    @Dense(units = 64)
    Tensor inner2(Tensor inner1);

    /** The skip connection. */
    @Add
    Tensor sum(Tensor inner2, Tensor stem);

    @ActivationLayer(RELU)
    Tensor block(Tensor sum);

    @Dense(units = 3, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor arm(Tensor block);
}
