package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.optim.Adam;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Once warmed up, a training step and a predict of the same batch size allocate no new model memory: every buffer
 * comes from the plan's pool (counted by {@link Memory}, the runtime's single allocation point), and an epoch's
 * smaller last batch gets views of the same buffers.
 */
class ZeroAllocationTest {
    static final String SOURCE = """
            package alloc;
            import dev.kiln.dsl.*;
            @Model interface Mlp {
                @Input(shape = 20) Tensor x();
                @Dense(units = 32, activation = Activation.RELU) Tensor h1(Tensor x);
                @Dropout(rate = 0.25) Tensor d(Tensor h1);
                @Dense(units = 32, activation = Activation.GELU) Tensor h2(Tensor d);
                @Dense(units = 5, activation = Activation.SOFTMAX)
                @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor y(Tensor h2);
            }
            """;

    @Test
    void warmStepsAllocateNothing() {
        Compilation c = ModelCompiler.compile("alloc.Mlp", SOURCE);
        KilnModel model = ModelCompiler.create(ModelCompiler.loader(c), "alloc.MlpModel", 1, DataType.FLOAT);
        model.compile(new Adam(1e-3));
        INDArray[] full = {Nd4j.rand(DataType.FLOAT, 16, 20)};
        INDArray[] fullY = {Nd4j.zeros(DataType.FLOAT, 16)};
        INDArray[] last = {Nd4j.rand(DataType.FLOAT, 7, 20)};
        INDArray[] lastY = {Nd4j.zeros(DataType.FLOAT, 7)};
        // warm-up: a full batch, the smaller last batch, and predict
        model.trainStep(full, fullY);
        model.trainStep(last, lastY);
        model.predictBatch(full);
        long before = Memory.allocations();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int i = 0; i < 5; i++) {
                model.trainStep(full, fullY);
            }
            model.trainStep(last, lastY);
            model.predictBatch(full);
        }
        assertEquals(before, Memory.allocations(), "model memory allocated after warm-up");
    }
}
