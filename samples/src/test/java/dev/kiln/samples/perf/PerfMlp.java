package dev.kiln.samples.perf;

import static dev.kiln.dsl.Activation.*;
import dev.kiln.dsl.*;

@Model
interface PerfMlp {
    @Input(shape = 784) Tensor x();
    @Dense(units = 512, activation = RELU) Tensor h1(Tensor x);
    @Dense(units = 512, activation = RELU) Tensor h2(Tensor h1);
    @Dense(units = 10, activation = SOFTMAX) @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY, metrics = Metric.ACCURACY) Tensor y(Tensor h2);
}
