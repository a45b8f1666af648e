package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class RMSpropTest {
    private static final Reference.Rule DEFAULT = Reference.rmsprop(0.9, 0, 1e-7, false);

    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        return Stream.concat(Check.commonVariants(RMSprop::new, RMSprop::new, 0.1, DEFAULT), Stream.of(
                keras("Keras defaults", new RMSprop(), reference(DEFAULT, 0.001)),
                keras("momentum", new RMSprop(0.1).momentum(0.5),
                        reference(Reference.rmsprop(0.9, 0.5, 1e-7, false), 0.1)),
                keras("centered", new RMSprop(0.1).centered(true),
                        reference(Reference.rmsprop(0.9, 0, 1e-7, true), 0.1)),
                keras("centered with momentum, rho, epsilon", new RMSprop(0.1).centered(true).momentum(0.5).rho(0.8)
                        .epsilon(1e-3), reference(Reference.rmsprop(0.8, 0.5, 1e-3, true), 0.1))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new RMSprop(0.1).momentum(0.5), reference(Reference.rmsprop(0.9, 0.5, 1e-7, false), 0.1));
    }

    @Test
    void stateRoundTrips() {
        Check.stateRoundTrips(() -> new RMSprop(0.1).centered(true).momentum(0.5));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("RMSprop(learning_rate=0.001, weight_decay=None, clipnorm=None, global_clipnorm=None,"
                + " clipvalue=None, rho=0.9, momentum=0.0, epsilon=1e-07, centered=False)", new RMSprop().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("RMSprop: learningRate must be a positive number, got -0.001", () -> new RMSprop(-0.001));
        rejects("RMSprop: rho must be in [0, 1), got 1.0", () -> new RMSprop().rho(1));
        rejects("RMSprop: momentum must be in [0, 1), got -0.5", () -> new RMSprop().momentum(-0.5));
        rejects("RMSprop: epsilon must be a number >= 0, got -1.0E-7", () -> new RMSprop().epsilon(-1e-7));
    }
}
