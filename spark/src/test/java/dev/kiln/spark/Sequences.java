package dev.kiln.spark;

import static dev.kiln.dsl.Loss.MEAN_SQUARED_ERROR;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.SimpleRNN;
import dev.kiln.dsl.Tensor;

/** Sequences of any length (an open axis), which a Spark column of fixed-length arrays cannot hold. */
@Model
public interface Sequences {
    @Input(shape = {Input.NONE, 3})
    Tensor steps();

    @SimpleRNN(units = 4)
    Tensor state(Tensor steps);

    @Dense(units = 1)
    @Output(loss = MEAN_SQUARED_ERROR)
    Tensor y(Tensor state);
}
