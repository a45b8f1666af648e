package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.ELU;
import static dev.kiln.dsl.Activation.SOFTMAX;

import dev.kiln.dsl.Conv2D;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Flatten;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.MaxPooling2D;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** k224tf_mnist_cnn_functional.h5 (tf.keras 2.2.4): four valid 3x3 convolutions, two poolings, an ELU head. */
@Model
public interface MnistCnn {
    @Input(shape = {28, 28, 1})
    Tensor input_2();

    @Conv2D(filters = 32, kernelSize = 3)
    Tensor conv2d_4(Tensor input_2);

    @Conv2D(filters = 32, kernelSize = 3)
    Tensor conv2d_5(Tensor conv2d_4);

    @MaxPooling2D
    Tensor max_pooling2d_2(Tensor conv2d_5);

    @Conv2D(filters = 64, kernelSize = 3)
    Tensor conv2d_6(Tensor max_pooling2d_2);

    @MaxPooling2D
    Tensor max_pooling2d_3(Tensor conv2d_6);

    @Conv2D(filters = 128, kernelSize = 3)
    Tensor conv2d_7(Tensor max_pooling2d_3);

    @Flatten
    Tensor flatten(Tensor conv2d_7);

    @Dense(units = 16, activation = ELU)
    Tensor dense_2(Tensor flatten);

    @Dense(units = 10, activation = SOFTMAX)
    @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY)
    Tensor dense_3(Tensor dense_2);
}
