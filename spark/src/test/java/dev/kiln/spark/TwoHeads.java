package dev.kiln.spark;

import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.Activation.TANH;
import static dev.kiln.dsl.Loss.MEAN_SQUARED_ERROR;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;
import static dev.kiln.dsl.Metric.MEAN_ABSOLUTE_ERROR;

import dev.kiln.dsl.Concatenate;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** Two inputs, two outputs (a class and an amount): the model the Spark tests score and train. */
@Model
public interface TwoHeads {
    @Input(shape = 4)
    Tensor a();

    @Input(shape = 3)
    Tensor b();

    @Concatenate
    Tensor ab(Tensor a, Tensor b);

    @Dense(units = 8, activation = TANH)
    Tensor hidden(Tensor ab);

    @Dense(units = 3, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor kind(Tensor hidden);

    @Dense(units = 2)
    @Output(loss = MEAN_SQUARED_ERROR, lossWeight = 0.5, metrics = MEAN_ABSOLUTE_ERROR)
    Tensor amount(Tensor hidden);
}
