package dev.kiln.spark.sample;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** The digits sample's MLP: 64 pixels, 64 hidden units, 10 classes. */
@Model
public interface DigitsOnSpark {
    @Input(shape = 64)
    Tensor pixels();

    @Dense(units = 64, activation = RELU)
    Tensor hidden(Tensor pixels);

    @Dense(units = 10, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor label(Tensor hidden);
}
