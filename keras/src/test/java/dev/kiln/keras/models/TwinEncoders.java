package dev.kiln.keras.models;

import dev.kiln.dsl.Add;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Nested;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Shared;
import dev.kiln.dsl.Tensor;

/** One nested model applied to two inputs: what Kiln does not write to Keras's files yet. */
@Model
public interface TwinEncoders {
    @Input(shape = 6)
    Tensor a();

    @Input(shape = 6)
    Tensor b();

    @Nested(EncoderNet.class)
    Tensor encoded(Tensor a);

    @Shared("encoded")
    Tensor encodedB(Tensor b);

    @Add
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor sum(Tensor encoded, Tensor encodedB);
}
