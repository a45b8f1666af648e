package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SOFTMAX;

import dev.kiln.dsl.BatchNormalization;
import dev.kiln.dsl.Conv2D;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.GlobalAveragePooling2D;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.MaxPooling2D;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Nested;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;

/**
 * fixtures/nested_cnn (make_fixtures.py): a feature extractor with BatchNormalization nested in a classifier, with the
 * fixture's layer names.
 */
@Model
public interface NestedCnn {
    /** The nested Functional model 'features'. */
    @Model
    interface Features {
        @Input(shape = {6, 6, 2})
        Tensor pixels();

        @Conv2D(filters = 4, kernelSize = 3, padding = Padding.SAME, activation = RELU)
        Tensor conv(Tensor pixels);

        @BatchNormalization
        Tensor bn(Tensor conv);

        @Conv2D(filters = 3, kernelSize = 3)
        Tensor conv2(Tensor bn);

        @MaxPooling2D
        @Output
        Tensor pool(Tensor conv2);
    }

    @Input(shape = {6, 6, 2})
    Tensor image();

    @Nested(Features.class)
    Tensor features(Tensor image);

    @GlobalAveragePooling2D
    Tensor gap(Tensor features);

    @Dense(units = 3, activation = SOFTMAX)
    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY)
    Tensor head(Tensor gap);
}
