package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AdamWTest {
    private static final Reference.Rule ADAM = Reference.adam(0.9, 0.999, 1e-7, false);

    /** The common variants keep AdamW's default weight decay, except the one that sets it. */
    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        double lr = 0.1;
        return Stream.of(
                keras("Keras defaults", new AdamW(), reference(ADAM, 0.001).weightDecay(0.004)),
                keras("learning rate", new AdamW(lr), reference(ADAM, lr).weightDecay(0.004)),
                keras("weightDecay", new AdamW(lr).weightDecay(0.2), reference(ADAM, lr).weightDecay(0.2)),
                keras("amsgrad", new AdamW(lr).amsgrad(true),
                        reference(Reference.adam(0.9, 0.999, 1e-7, true), lr).weightDecay(0.004)),
                keras("clipnorm", new AdamW(lr).clipnorm(1.0), reference(ADAM, lr).weightDecay(0.004).clipnorm(1.0)),
                keras("clipvalue", new AdamW(lr).clipvalue(0.5), reference(ADAM, lr).weightDecay(0.004).clipvalue(0.5)),
                keras("globalClipnorm", new AdamW(lr).globalClipnorm(1.2),
                        reference(ADAM, lr).weightDecay(0.004).globalClipnorm(1.2)),
                keras("ExponentialDecay schedule", new AdamW(new ExponentialDecay(lr, 2, 0.5)),
                        reference(ADAM, lr).weightDecay(0.004).schedule(step -> lr * Math.pow(0.5, step / 2.0))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new AdamW(0.1).weightDecay(0.2), reference(ADAM, 0.1).weightDecay(0.2));
    }

    @Test
    void stateRoundTrips() {
        Check.stateRoundTrips(() -> new AdamW(0.1).amsgrad(true));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("AdamW(learning_rate=0.001, weight_decay=0.004, clipnorm=None, global_clipnorm=None,"
                + " clipvalue=None, beta_1=0.9, beta_2=0.999, epsilon=1e-07, amsgrad=False)", new AdamW().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("AdamW: learningRate must be a positive number, got 0.0", () -> new AdamW(0));
        rejects("AdamW: weightDecay must be a number >= 0, got -0.004", () -> new AdamW().weightDecay(-0.004));
        rejects("AdamW: beta1 must be in [0, 1), got 1.0", () -> new AdamW().beta1(1));
    }
}
