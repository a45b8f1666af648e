package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AdadeltaTest {
    private static final Reference.Rule DEFAULT = Reference.adadelta(0.95, 1e-7);

    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        return Stream.concat(Check.commonVariants(Adadelta::new, Adadelta::new, 1.0, DEFAULT), Stream.of(
                keras("Keras defaults", new Adadelta(), reference(DEFAULT, 0.001)),
                keras("rho and epsilon", new Adadelta(1.0).rho(0.5).epsilon(1e-3),
                        reference(Reference.adadelta(0.5, 1e-3), 1.0))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new Adadelta(1.0).epsilon(1e-3), reference(Reference.adadelta(0.95, 1e-3), 1.0));
    }

    @Test
    void stateRoundTrips() {
        Check.stateRoundTrips(() -> new Adadelta(1.0));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("Adadelta(learning_rate=0.001, weight_decay=None, clipnorm=None, global_clipnorm=None,"
                + " clipvalue=None, rho=0.95, epsilon=1e-07)", new Adadelta().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("Adadelta: learningRate must be a positive number, got 0.0", () -> new Adadelta(0.0));
        rejects("Adadelta: rho must be in [0, 1), got 1.5", () -> new Adadelta().rho(1.5));
        rejects("Adadelta: epsilon must be a number >= 0, got -Infinity",
                () -> new Adadelta().epsilon(Double.NEGATIVE_INFINITY));
    }
}
