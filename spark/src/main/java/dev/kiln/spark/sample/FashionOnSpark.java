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

/** Fashion-MNIST's classic MLP, as the samples' FashionMlp: 784 pixels, two hidden layers of 512, 10 classes. */
@Model
public interface FashionOnSpark {
    @Input(shape = 784)
    Tensor pixels();

    @Dense(units = 512, activation = RELU)
    Tensor hidden1(Tensor pixels);

    @Dense(units = 512, activation = RELU)
    Tensor hidden2(Tensor hidden1);

    @Dense(units = 10, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor label(Tensor hidden2);
}
