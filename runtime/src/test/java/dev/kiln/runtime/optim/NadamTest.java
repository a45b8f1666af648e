package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class NadamTest {
    private static final Reference.Rule DEFAULT = Reference.nadam(0.9, 0.999, 1e-7);

    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        return Stream.concat(Check.commonVariants(Nadam::new, Nadam::new, 0.1, DEFAULT), Stream.of(
                keras("Keras defaults", new Nadam(), reference(DEFAULT, 0.001)),
                keras("betas and epsilon", new Nadam(0.1).beta1(0.5).beta2(0.75).epsilon(0.01),
                        reference(Reference.nadam(0.5, 0.75, 0.01), 0.1))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new Nadam(0.1), reference(DEFAULT, 0.1));
    }

    @Test
    void stateRoundTripsIncludingTheMomentumProduct() {
        Check.stateRoundTrips(() -> new Nadam(0.1));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("Nadam(learning_rate=0.001, weight_decay=None, clipnorm=None, global_clipnorm=None,"
                + " clipvalue=None, beta_1=0.9, beta_2=0.999, epsilon=1e-07)", new Nadam().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("Nadam: learningRate must be a positive number, got 0.0", () -> new Nadam(0));
        rejects("Nadam: beta1 must be in [0, 1), got -0.9", () -> new Nadam().beta1(-0.9));
        rejects("Nadam: beta2 must be in [0, 1), got 1.0", () -> new Nadam().beta2(1));
        rejects("Nadam: epsilon must be a number >= 0, got -1.0E-7", () -> new Nadam().epsilon(-1e-7));
    }
}
