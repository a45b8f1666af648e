package dev.kiln.spark;

import static dev.kiln.dsl.Loss.MEAN_SQUARED_ERROR;

import dev.kiln.dsl.BatchNormalization;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** A model with non-trainable weights (BatchNormalization's moving statistics), which the optimizer does not step. */
@Model
public interface Normalized {
    @Input(shape = 4)
    Tensor a();

    @Dense(units = 3)
    Tensor hidden(Tensor a);

    @BatchNormalization(momentum = 0.5)
    Tensor normal(Tensor hidden);

    @Dense(units = 1)
    @Output(loss = MEAN_SQUARED_ERROR)
    Tensor y(Tensor normal);
}
