package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AdamaxTest {
    private static final Reference.Rule DEFAULT = Reference.adamax(0.9, 0.999, 1e-7);

    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        return Stream.concat(Check.commonVariants(Adamax::new, Adamax::new, 0.1, DEFAULT), Stream.of(
                keras("Keras defaults", new Adamax(), reference(DEFAULT, 0.001)),
                keras("betas and epsilon", new Adamax(0.1).beta1(0.5).beta2(0.75).epsilon(0.01),
                        reference(Reference.adamax(0.5, 0.75, 0.01), 0.1))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new Adamax(0.1), reference(DEFAULT, 0.1));
    }

    @Test
    void stateRoundTrips() {
        Check.stateRoundTrips(() -> new Adamax(0.1));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("Adamax(learning_rate=0.001, weight_decay=None, clipnorm=None, global_clipnorm=None,"
                + " clipvalue=None, beta_1=0.9, beta_2=0.999, epsilon=1e-07)", new Adamax().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("Adamax: learningRate must be a positive number, got -0.1", () -> new Adamax(-0.1));
        rejects("Adamax: beta1 must be in [0, 1), got 1.0", () -> new Adamax().beta1(1));
        rejects("Adamax: beta2 must be in [0, 1), got 2.0", () -> new Adamax().beta2(2));
        rejects("Adamax: epsilon must be a number >= 0, got -1.0", () -> new Adamax().epsilon(-1));
    }
}
