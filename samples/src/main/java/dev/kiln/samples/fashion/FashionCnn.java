package dev.kiln.samples.fashion;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;
import static dev.kiln.dsl.Padding.SAME;

import dev.kiln.dsl.Conv2D;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Flatten;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.MaxPooling2D;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Reshape;
import dev.kiln.dsl.Tensor;

/**
 * A small convolutional network for Fashion-MNIST: Keras's {@code mnist_convnet} with same padding and a Dense head.
 * The loader's 784 pixels go back into a 28x28 image, through two 3x3 convolutions each followed by 2x2 max pooling,
 * then a Dense layer of 128 before the 10 classes. The Keras program is {@code Sequential([Input((784,)),
 * Reshape((28, 28, 1)), Conv2D(32, 3, padding="same", activation="relu"), MaxPooling2D(2), Conv2D(64, 3,
 * padding="same", activation="relu"), MaxPooling2D(2), Flatten(), Dense(128, activation="relu"), Dense(10,
 * activation="softmax")])}.
 */
@Model
public interface FashionCnn {
    @Input(shape = 784)
    Tensor pixels();

    @Reshape(targetShape = {28, 28, 1})
    Tensor image(Tensor pixels);

    @Conv2D(filters = 32, kernelSize = 3, padding = SAME, activation = RELU)
    Tensor conv1(Tensor image);

    @MaxPooling2D(poolSize = 2)
    Tensor pool1(Tensor conv1);

    @Conv2D(filters = 64, kernelSize = 3, padding = SAME, activation = RELU)
    Tensor conv2(Tensor pool1);

    @MaxPooling2D(poolSize = 2)
    Tensor pool2(Tensor conv2);

    @Flatten
    Tensor features(Tensor pool2);

    @Dense(units = 128, activation = RELU)
    Tensor hidden(Tensor features);

    @Dense(units = 10, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor clothing(Tensor hidden);
}
