package dev.kiln.benchmarks;

import static dev.kiln.dsl.Activation.SIGMOID;
import static dev.kiln.dsl.DType.INT32;
import static dev.kiln.dsl.Loss.BINARY_CROSSENTROPY;
import static dev.kiln.dsl.Metric.ACCURACY;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Embedding;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** Workload W3: word ids through an embedding and an LSTM whose last step classifies the sequence. */
@Model
public interface TextLstm {
    @Input(shape = SyntheticText.STEPS, dtype = INT32)
    Tensor ids();

    @Embedding(inputDim = SyntheticText.VOCABULARY, outputDim = 128)
    Tensor embedded(Tensor ids);

    @LSTM(units = 128)
    Tensor encoded(Tensor embedded);

    @Dense(units = 1, activation = SIGMOID)
    @Output(loss = BINARY_CROSSENTROPY, metrics = ACCURACY)
    Tensor label(Tensor encoded);
}
