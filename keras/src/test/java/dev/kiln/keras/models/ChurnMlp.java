package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.RELU;
import static dev.kiln.dsl.Activation.SIGMOID;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** k3_churn_mlp.keras, node for layer, with the Keras layer names: matched by name. */
@Model
public interface ChurnMlp {
    @Input(shape = 12)
    Tensor input_layer_2();

    @Dense(units = 64, activation = RELU)
    Tensor dense_6(Tensor input_layer_2);

    @Dense(units = 32, activation = RELU)
    Tensor dense_7(Tensor dense_6);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = Loss.BINARY_CROSSENTROPY)
    Tensor dense_8(Tensor dense_7);
}
