package dev.kiln.keras.models;

import dev.kiln.dsl.DType;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.Flatten;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.PReLU;
import dev.kiln.dsl.SimpleRNN;
import dev.kiln.dsl.Tensor;

/** Embedding, SimpleRNN (cell/vars), PReLU (alpha): more of the mapping through a round trip. */
@Model
public interface Mixed {
    @Input(shape = 7, dtype = DType.INT32)
    Tensor ids();

    @Embedding(inputDim = 20, outputDim = 4)
    Tensor embedded(Tensor ids);

    @SimpleRNN(units = 5, returnSequences = true)
    Tensor rnn(Tensor embedded);

    @Flatten
    Tensor flat(Tensor rnn);

    @PReLU
    Tensor act(Tensor flat);

    @Dense(units = 2)
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor out(Tensor act);
}
