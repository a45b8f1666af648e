package dev.kiln.samples.fashion;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SOFTMAX;
import static dev.kiln.dsl.Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;
import static dev.kiln.dsl.Padding.SAME;

import dev.kiln.dsl.ActivationLayer;
import dev.kiln.dsl.Add;
import dev.kiln.dsl.BatchNormalization;
import dev.kiln.dsl.Conv2D;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.GlobalAveragePooling2D;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.MaxPooling2D;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Reshape;
import dev.kiln.dsl.Tensor;

/**
 * A small residual CNN for Fashion-MNIST, ResNet's pattern in miniature: a stem (Conv2D, BatchNormalization, ReLU,
 * MaxPooling2D) to 14x14x32, one residual block {@code relu(stem + bn(conv(relu(bn(conv(stem))))))}, a strided
 * Conv2D to 7x7x64, then GlobalAveragePooling2D in place of Flatten and a softmax over the 10 classes. Convolutions
 * followed by BatchNormalization carry no bias (the normalisation's beta replaces it), as in Keras's ResNet.
 */
@Model
public interface FashionResNet {
    @Input(shape = 784)
    Tensor pixels();

    @Reshape(targetShape = {28, 28, 1})
    Tensor image(Tensor pixels);

    @Conv2D(filters = 32, kernelSize = 3, padding = SAME, useBias = false)
    Tensor stemConv(Tensor image);

    @BatchNormalization
    Tensor stemNorm(Tensor stemConv);

    @ActivationLayer(RELU)
    Tensor stemRelu(Tensor stemNorm);

    @MaxPooling2D(poolSize = 2)
    Tensor stem(Tensor stemRelu);

    @Conv2D(filters = 32, kernelSize = 3, padding = SAME, useBias = false)
    Tensor blockConv1(Tensor stem);

    @BatchNormalization
    Tensor blockNorm1(Tensor blockConv1);

    @ActivationLayer(RELU)
    Tensor blockRelu1(Tensor blockNorm1);

    @Conv2D(filters = 32, kernelSize = 3, padding = SAME, useBias = false)
    Tensor blockConv2(Tensor blockRelu1);

    @BatchNormalization
    Tensor blockNorm2(Tensor blockConv2);

    @Add
    Tensor blockSum(Tensor stem, Tensor blockNorm2);

    @ActivationLayer(RELU)
    Tensor block(Tensor blockSum);

    @Conv2D(filters = 64, kernelSize = 3, strides = 2, padding = SAME, useBias = false)
    Tensor downConv(Tensor block);

    @BatchNormalization
    Tensor downNorm(Tensor downConv);

    @ActivationLayer(RELU)
    Tensor down(Tensor downNorm);

    @GlobalAveragePooling2D
    Tensor features(Tensor down);

    @Dense(units = 10, activation = SOFTMAX)
    @Output(loss = SPARSE_CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
    Tensor clothing(Tensor features);
}
