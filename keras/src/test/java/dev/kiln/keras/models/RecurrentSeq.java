package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.TANH;

import dev.kiln.dsl.Bidirectional;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.GRU;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.LayerNormalization;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.TimeDistributed;

/**
 * fixtures/recurrent_seq (make_fixtures.py), a Sequential model: both wrappers, LayerNormalization and a GRU, with the
 * fixture's layer names.
 */
@Model
public interface RecurrentSeq {
    @Input(shape = {5, 3})
    Tensor series();

    @Bidirectional
    @LSTM(units = 4, returnSequences = true)
    Tensor bi(Tensor series);

    @TimeDistributed
    @Dense(units = 6, activation = TANH)
    Tensor per_step(Tensor bi);

    @LayerNormalization
    Tensor norm(Tensor per_step);

    @GRU(units = 3)
    Tensor gru(Tensor norm);

    @Dense(units = 2)
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor out(Tensor gru);
}
