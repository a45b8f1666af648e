package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class SGDTest {

    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        return Stream.concat(Check.commonVariants(SGD::new, SGD::new, 0.1, Reference.sgd(0, false)), Stream.of(
                keras("Keras defaults", new SGD(), reference(Reference.sgd(0, false), 0.01)),
                keras("momentum", new SGD(0.1).momentum(0.9), reference(Reference.sgd(0.9, false), 0.1)),
                keras("nesterov", new SGD(0.1).momentum(0.9).nesterov(true), reference(Reference.sgd(0.9, true), 0.1)),
                keras("nesterov, clipnorm, weight decay", new SGD(0.1).momentum(0.5).nesterov(true).clipnorm(1.0)
                        .weightDecay(0.1), reference(Reference.sgd(0.5, true), 0.1).clipnorm(1.0).weightDecay(0.1))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new SGD(0.1).momentum(0.9).nesterov(true), reference(Reference.sgd(0.9, true), 0.1));
    }

    @Test
    void stateRoundTrips() {
        Check.stateRoundTrips(() -> new SGD(0.1).momentum(0.9).nesterov(true));
        Check.stateRoundTrips(() -> new SGD(0.1));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("SGD(learning_rate=0.01, weight_decay=None, clipnorm=None, global_clipnorm=None, clipvalue=None,"
                + " momentum=0.0, nesterov=False)", new SGD().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("SGD: learningRate must be a positive number, got 0.0", () -> new SGD(0));
        rejects("SGD: momentum must be in [0, 1], got 1.5", () -> new SGD().momentum(1.5));
        rejects("SGD: momentum must be in [0, 1], got -0.1", () -> new SGD().momentum(-0.1));
    }
}
