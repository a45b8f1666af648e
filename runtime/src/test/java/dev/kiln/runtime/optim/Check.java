package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every optimizer's test checks: three steps on two variables ({@code (4)} and {@code (3)} laid end to end)
 * with a different gradient each step, against {@link Reference}; a float32 run; a state round trip.
 */
final class Check {
    static final long[] SIZES = {4, 3};
    static final double[] W0 = {0.5, -1.2, 0.3, 2.0, -0.7, 0.1, 1.5};
    /**
     * Per step: the first variable's norm is above 1, below 1, above 1; the second's below, below, above; the global
     * norm 1.17, 1.13, 2.5; several elements beyond 0.5.
     */
    static final double[][] GRADS = {
        {0.9, -0.4, 0.2, 0.6, 0.05, -0.02, 0.03},
        {-0.3, 0.8, -0.5, 0.1, 0.4, 0.3, -0.2},
        {1.5, -0.2, 0.7, -1.1, -0.9, 0.6, 0.8},
    };

    private Check() {
    }

    static Reference reference(Reference.Rule rule, double learningRate) {
        return new Reference(rule, learningRate, W0, SIZES);
    }

    /** A test that {@code optimizer} matches {@code reference} over three float64 steps, weights and slots. */
    static DynamicTest keras(String name, Optimizer optimizer, Reference reference) {
        return DynamicTest.dynamicTest(name, () -> matches(optimizer, reference));
    }

    /** The base optimizer's options (clipping, weight decay, a schedule) on top of the rule's defaults. */
    static Stream<DynamicTest> commonVariants(DoubleFunction<KerasOptimizer<?>> byRate,
            Function<LearningRateSchedule, KerasOptimizer<?>> bySchedule, double lr, Reference.Rule rule) {
        return Stream.of(
                keras("learning rate " + lr, byRate.apply(lr), reference(rule, lr)),
                keras("clipnorm", byRate.apply(lr).clipnorm(1.0), reference(rule, lr).clipnorm(1.0)),
                keras("clipvalue", byRate.apply(lr).clipvalue(0.5), reference(rule, lr).clipvalue(0.5)),
                keras("globalClipnorm", byRate.apply(lr).globalClipnorm(1.2), reference(rule, lr).globalClipnorm(1.2)),
                keras("weightDecay", byRate.apply(lr).weightDecay(0.1), reference(rule, lr).weightDecay(0.1)),
                keras("ExponentialDecay schedule", bySchedule.apply(new ExponentialDecay(lr, 2, 0.5)),
                        reference(rule, lr).schedule(step -> lr * Math.pow(0.5, step / 2.0))));
    }

    static void matches(Optimizer optimizer, Reference reference) {
        optimizer.build(SIZES, DataType.DOUBLE);
        INDArray w = Nd4j.createFromArray(W0.clone());
        for (double[] g : GRADS) {
            optimizer.apply(w, Nd4j.createFromArray(g.clone()));
            reference.step(g);
            String when = " after step " + reference.iterations;
            assertClose(reference.w, w.toDoubleVector(), 1e-12, "weights" + when);
            Map<String, INDArray> state = optimizer.state();
            assertEquals(reference.slots.keySet().stream().toList(),
                    state.keySet().stream().filter(k -> !k.equals("iterations")).toList(), "slot names");
            reference.slots.forEach((slot, expected) ->
                    assertClose(expected, state.get(slot).toDoubleVector(), 1e-12, "slot " + slot + when));
            assertEquals(reference.iterations, state.get("iterations").getLong(0), "iterations" + when);
        }
    }

    /** The same three steps in float32 agree with the float64 reference to 1e-6. */
    static void float32Matches(Optimizer optimizer, Reference reference) {
        optimizer.build(SIZES, DataType.FLOAT);
        INDArray w = Nd4j.createFromArray(W0.clone()).castTo(DataType.FLOAT);
        for (double[] g : GRADS) {
            optimizer.apply(w, Nd4j.createFromArray(g.clone()).castTo(DataType.FLOAT));
            reference.step(g);
            assertClose(reference.w, w.toDoubleVector(), 1e-6, "float32 weights after step " + reference.iterations);
        }
    }

    /** Two steps, save; one more step, versus a fresh optimizer loaded with the saved state doing that step. */
    static void stateRoundTrips(Supplier<Optimizer> make) {
        Optimizer first = make.get();
        first.build(SIZES, DataType.DOUBLE);
        INDArray w = Nd4j.createFromArray(W0.clone());
        first.apply(w, Nd4j.createFromArray(GRADS[0].clone()));
        first.apply(w, Nd4j.createFromArray(GRADS[1].clone()));
        Map<String, INDArray> saved = first.state();
        INDArray resumedWeights = w.dup();
        first.apply(w, Nd4j.createFromArray(GRADS[2].clone()));

        Optimizer resumed = make.get();
        resumed.build(SIZES, DataType.DOUBLE);
        resumed.loadState(saved);
        assertEquals(2, resumed.iterations());
        resumed.apply(resumedWeights, Nd4j.createFromArray(GRADS[2].clone()));

        assertArrayEquals(w.toDoubleVector(), resumedWeights.toDoubleVector(), "weights after the resumed step");
        Map<String, INDArray> expected = first.state();
        Map<String, INDArray> actual = resumed.state();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((slot, value) ->
                assertArrayEquals(value.toDoubleVector(), actual.get(slot).toDoubleVector(), "slot " + slot));
    }

    /** {@code action} throws an IllegalArgumentException whose message contains {@code message}. */
    static void rejects(String message, Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(message), () -> "message '" + e.getMessage() + "' lacks '" + message + "'");
    }

    static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance * (1 + Math.abs(expected[i])))) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (difference "
                        + (actual[i] - expected[i]) + ")");
            }
        }
    }
}
