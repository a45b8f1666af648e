package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {
    private static final Reference.Rule DEFAULT = Reference.adam(0.9, 0.999, 1e-7, false);

    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        return Stream.concat(Check.commonVariants(Adam::new, Adam::new, 0.1, DEFAULT), Stream.of(
                keras("Keras defaults", new Adam(), reference(DEFAULT, 0.001)),
                keras("amsgrad", new Adam(0.1).amsgrad(true), reference(Reference.adam(0.9, 0.999, 1e-7, true), 0.1)),
                keras("betas and epsilon", new Adam(0.1).beta1(0.5).beta2(0.75).epsilon(0.01),
                        reference(Reference.adam(0.5, 0.75, 0.01, false), 0.1))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new Adam(0.1).amsgrad(true), reference(Reference.adam(0.9, 0.999, 1e-7, true), 0.1));
    }

    /**
     * Float32 slots live in chunks of 2048 and the step runs on Kiln's threads: 70,001 weights in three variables are
     * 35 chunks, the last partial, with thread shares that start inside a chunk. Three steps, plain and amsgrad, with
     * weight decay, must match the float64 reference, and the state must round-trip exactly.
     */
    @Test
    void float32InChunksOverThreadsMatchesTheReference() {
        long[] sizes = {40_000, 1, 30_000};
        int n = 70_001;
        SplittableRandom random = new SplittableRandom(7);
        double[] w0 = new double[n];
        double[][] grads = new double[3][n];
        for (int i = 0; i < n; i++) {
            w0[i] = (float) random.nextDouble(-1, 1);
            for (double[] g : grads) {
                g[i] = (float) random.nextDouble(-2, 2);
            }
        }
        for (boolean amsgrad : new boolean[] {false, true}) {
            Optimizer adam = new AdamW(0.01).amsgrad(amsgrad);
            adam.build(sizes, DataType.FLOAT);
            Reference reference = new Reference(Reference.adam(0.9, 0.999, 1e-7, amsgrad), 0.01, w0, sizes)
                    .weightDecay(0.004);
            INDArray w = Nd4j.createFromArray(w0.clone()).castTo(DataType.FLOAT);
            for (double[] g : grads) {
                adam.apply(w, Nd4j.createFromArray(g.clone()).castTo(DataType.FLOAT));
                reference.step(g);
                Check.assertClose(reference.w, w.toDoubleVector(), 1e-5,
                        "amsgrad=" + amsgrad + ", weights after step " + reference.iterations);
            }
            Map<String, INDArray> state = adam.state();
            Check.assertClose(reference.slots.get("momentum"), state.get("momentum").toDoubleVector(), 1e-5,
                    "amsgrad=" + amsgrad + ", momentum");
            Optimizer resumed = new AdamW(0.01).amsgrad(amsgrad);
            resumed.build(sizes, DataType.FLOAT);
            resumed.loadState(state);
            Map<String, INDArray> reloaded = resumed.state();
            state.forEach((slot, value) -> assertArrayEquals(value.toFloatVector(), reloaded.get(slot).toFloatVector(),
                    "slot " + slot + " round trip"));
        }
    }

    @Test
    void stateRoundTrips() {
        Check.stateRoundTrips(() -> new Adam(0.1).amsgrad(true));
        Check.stateRoundTrips(() -> new Adam(new ExponentialDecay(0.1, 1, 0.5)));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("Adam(learning_rate=0.001, weight_decay=None, clipnorm=None, global_clipnorm=None, clipvalue=None,"
                + " beta_1=0.9, beta_2=0.999, epsilon=1e-07, amsgrad=False)", new Adam().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("Adam: learningRate must be a positive number, got NaN", () -> new Adam(Double.NaN));
        rejects("Adam: learningRate must be a positive number, got Infinity", () -> new Adam(Double.POSITIVE_INFINITY));
        rejects("Adam: beta1 must be in [0, 1), got 1.0", () -> new Adam().beta1(1.0));
        rejects("Adam: beta2 must be in [0, 1), got -0.1", () -> new Adam().beta2(-0.1));
        rejects("Adam: epsilon must be a number >= 0, got -1.0", () -> new Adam().epsilon(-1));
        rejects("Adam: the learning rate schedule is null", () -> new Adam((LearningRateSchedule) null));
    }
}
