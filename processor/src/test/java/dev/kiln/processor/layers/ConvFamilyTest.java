package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.processor.ModelCompiler;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.optim.Adam;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutions added after Conv2D together, in one small encoder-decoder (causal Conv1D, DepthwiseConv2D,
 * SeparableConv2D, Conv2DTranspose, bilinear UpSampling2D): the float32 kernels agree with float64, and warm training
 * steps (a full batch and a short last one) and predictions allocate no model memory.
 */
class ConvFamilyTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("family.Net", """
                package family;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {8, 8, 3}) Tensor image();
                    @Input(shape = {10, 2}) Tensor series();
                    @DepthwiseConv2D(kernelSize = 3, padding = Padding.SAME, depthMultiplier = 2,
                            activation = Activation.RELU) Tensor dw(Tensor image);
                    @SeparableConv2D(filters = 4, kernelSize = 3, strides = 2, padding = Padding.SAME,
                            activation = Activation.GELU) Tensor sep(Tensor dw);
                    @Conv2DTranspose(filters = 3, kernelSize = 3, strides = 2, padding = Padding.SAME,
                            activation = Activation.TANH) Tensor up(Tensor sep);
                    @UpSampling2D(interpolation = Interpolation.BILINEAR) Tensor big(Tensor sep);
                    @Conv1D(filters = 3, kernelSize = 3, dilationRate = 2, padding = Padding.CAUSAL,
                            activation = Activation.RELU) Tensor causal(Tensor series);
                    @Flatten Tensor f1(Tensor up);
                    @Flatten Tensor f2(Tensor big);
                    @Flatten Tensor f3(Tensor causal);
                    @Concatenate Tensor cat(Tensor f1, Tensor f2, Tensor f3);
                    @Dense(units = 4, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY) Tensor y(Tensor cat);
                }
                """);
    }

    private static INDArray[] inputs(SplittableRandom random, int batch) {
        return new INDArray[] {
            Nd4j.create(random.doubles(batch * 8 * 8 * 3, -1, 1).toArray(), new long[] {batch, 8, 8, 3}, 'c'),
            Nd4j.create(random.doubles(batch * 10 * 2, -1, 1).toArray(), new long[] {batch, 10, 2}, 'c')};
    }

    private static INDArray[] targets(int batch) {
        return new INDArray[] {Nd4j.eye(4).getRows(java.util.stream.IntStream.range(0, batch).map(i -> i % 4)
                .toArray()).castTo(DataType.DOUBLE)};
    }

    private static INDArray[] floats(INDArray[] a) {
        INDArray[] out = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].castTo(DataType.FLOAT);
        }
        return out;
    }

    @Test
    void float32MatchesFloat64() {
        KilnModel f64 = LayerTesting.model(loader, "family.NetModel");
        KilnModel f32 = ModelCompiler.create(loader, "family.NetModel", 5, DataType.FLOAT);
        SplittableRandom random = new SplittableRandom(4);
        Map<String, INDArray> w = NaiveConv.randomWeights(f64, random);
        Map<String, INDArray> w32 = new HashMap<>();
        w.forEach((k, v) -> w32.put(k, v.castTo(DataType.FLOAT)));
        f32.setWeights(w32);
        INDArray[] x = inputs(random, 3);
        INDArray[] y = targets(3);
        f64.computeGradients(x, y, false);
        f32.computeGradients(floats(x), floats(y), false);
        INDArray p64 = f64.predictBatch(x)[0];
        INDArray p32 = f32.predictBatch(floats(x))[0];
        assertTrue(p64.equalsWithEps(p32.castTo(DataType.DOUBLE), 1e-5), p64 + " vs " + p32);
        Map<String, INDArray> g64 = f64.gradients();
        Map<String, INDArray> g32 = f32.gradients();
        for (String k : g64.keySet()) {
            assertTrue(g64.get(k).equalsWithEps(g32.get(k).castTo(DataType.DOUBLE), 1e-4), k);
        }
    }

    @Test
    void warmTrainingStepsAllocateNothing() {
        KilnModel m = ModelCompiler.create(loader, "family.NetModel", 1, DataType.FLOAT);
        m.compile(new Adam(1e-3));
        SplittableRandom random = new SplittableRandom(9);
        INDArray[] full = floats(inputs(random, 8));
        INDArray[] fullY = floats(targets(8));
        INDArray[] last = floats(inputs(random, 3));
        INDArray[] lastY = floats(targets(3));
        m.trainStep(full, fullY);
        m.trainStep(last, lastY);
        m.predictBatch(full);
        long before = Memory.allocations();
        for (int i = 0; i < 3; i++) {
            m.trainStep(full, fullY);
            m.trainStep(last, lastY);
            m.predictBatch(full);
        }
        assertEquals(before, Memory.allocations(), "model memory allocated after warm-up");
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "family.NetModel"), "conv family");
    }
}
