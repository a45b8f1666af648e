package dev.kiln.spark;

import static dev.kiln.dsl.Loss.MEAN_SQUARED_ERROR;

import dev.kiln.dsl.BatchNormalization;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Dropout;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** Batch statistics and a dropout with its own seed: what data-parallel training treats per partition. */
@Model
public interface Regularized {
    @Input(shape = 4)
    Tensor a();

    @Dense(units = 6)
    Tensor hidden(Tensor a);

    @BatchNormalization(momentum = 0.8)
    Tensor normal(Tensor hidden);

    @Dropout(rate = 0.5, seed = 7)
    Tensor dropped(Tensor normal);

    @Dense(units = 1)
    @Output(loss = MEAN_SQUARED_ERROR)
    Tensor y(Tensor dropped);
}
