package dev.kiln.keras.models;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Nested;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** fixtures/nested_classifier.keras written by hand: a nested encoder model, then a softmax head. */
@Model
public interface NestedClassifier {
    @Input(shape = 6)
    Tensor image();

    @Nested(EncoderNet.class)
    Tensor encoder_net(Tensor image);

    @Dense(units = 3, activation = Activation.SOFTMAX)
    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY)
    Tensor head(Tensor encoder_net);
}
