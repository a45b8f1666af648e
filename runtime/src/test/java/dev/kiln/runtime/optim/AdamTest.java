package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

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
