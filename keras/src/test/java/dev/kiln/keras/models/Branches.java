package dev.kiln.keras.models;

import dev.kiln.dsl.Add;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/**
 * Two branches of different length: Keras orders a Functional's layers by depth from the outputs, so the long
 * branch's first Dense ('deep') comes before 'shallow', declared first; Keras's weights file numbers them so.
 */
@Model
public interface Branches {
    @Input(shape = 4)
    Tensor x();

    @Dense(units = 3)
    Tensor shallow(Tensor x);

    @Dense(units = 5)
    Tensor deep(Tensor x);

    @Dense(units = 3)
    Tensor deeper(Tensor deep);

    @Add
    Tensor sum(Tensor shallow, Tensor deeper);

    @Dense(units = 2)
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor out(Tensor sum);
}
