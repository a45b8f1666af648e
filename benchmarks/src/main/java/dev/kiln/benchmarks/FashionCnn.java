package dev.kiln.benchmarks;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Conv2D;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Flatten;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.MaxPooling2D;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * Workload W2: Fashion-MNIST images, channels last, through two valid 3x3 convolutions, a 2x2 max pooling and two
 * dense layers.
 */
@Model
public interface FashionCnn {
    @Input(shape = {28, 28, 1})
    Tensor image();

    @Conv2D(filters = 32, kernelSize = 3, activation = RELU)
    Tensor conv1(Tensor image);

    @Conv2D(filters = 64, kernelSize = 3, activation = RELU)
    Tensor conv2(Tensor conv1);

    @MaxPooling2D(poolSize = 2)
    Tensor pooled(Tensor conv2);

    @Flatten
    Tensor flat(Tensor pooled);

    @Dense(units = 128, activation = RELU)
    Tensor hidden(Tensor flat);

    @Dense(units = 10, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor label(Tensor hidden);
}
