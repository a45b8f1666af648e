package dev.kiln.keras.models;

import dev.kiln.dsl.BatchNormalization;
import dev.kiln.dsl.Conv2D;
import dev.kiln.dsl.Conv2DTranspose;
import dev.kiln.dsl.Cropping2D;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.DepthwiseConv2D;
import dev.kiln.dsl.ELU;
import dev.kiln.dsl.GlobalMaxPooling2D;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Interpolation;
import dev.kiln.dsl.LeakyReLU;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.PReLU;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.ReLU;
import dev.kiln.dsl.SeparableConv2D;
import dev.kiln.dsl.Softmax;
import dev.kiln.dsl.SpatialDropout2D;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.UpSampling2D;
import dev.kiln.dsl.ZeroPadding2D;

/** The image layers that Keras files carry, each with settings other than Keras's defaults: for the round trips. */
@Model
public interface VisionZoo {
    @Input(shape = {8, 8, 3})
    Tensor image();

    @ZeroPadding2D(padding = {1, 2})
    Tensor padded(Tensor image);

    @Conv2D(filters = 4, kernelSize = 3)
    Tensor conv(Tensor padded);

    @BatchNormalization(momentum = 0.9, epsilon = 0.01)
    Tensor normed(Tensor conv);

    @ReLU(maxValue = 6, negativeSlope = 0.1)
    Tensor relu6(Tensor normed);

    @DepthwiseConv2D(kernelSize = 3, depthMultiplier = 2, padding = Padding.SAME)
    Tensor depthwise(Tensor relu6);

    @SeparableConv2D(filters = 5, kernelSize = {3, 2})
    Tensor separable(Tensor depthwise);

    @LeakyReLU(negativeSlope = 0.2)
    Tensor leaky(Tensor separable);

    @Cropping2D(cropping = {1, 1, 0, 2})
    Tensor cropped(Tensor leaky);

    @Conv2DTranspose(filters = 3, kernelSize = 3, strides = 2, padding = Padding.SAME)
    Tensor transposed(Tensor cropped);

    @UpSampling2D(size = {1, 2}, interpolation = Interpolation.BILINEAR)
    Tensor upsampled(Tensor transposed);

    @ELU(alpha = 0.5)
    Tensor elu(Tensor upsampled);

    @SpatialDropout2D(rate = 0.2)
    Tensor dropped(Tensor elu);

    @PReLU(alphaInitializer = Initializer.GLOROT_UNIFORM, sharedAxes = {1, 2})
    Tensor prelu(Tensor dropped);

    @GlobalMaxPooling2D
    Tensor pooled(Tensor prelu);

    @Dense(units = 4)
    Tensor logits(Tensor pooled);

    @Softmax
    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY)
    Tensor probs(Tensor logits);
}
