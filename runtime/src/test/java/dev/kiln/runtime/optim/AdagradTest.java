package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.keras;
import static dev.kiln.runtime.optim.Check.reference;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AdagradTest {
    private static final Reference.Rule DEFAULT = Reference.adagrad(0.1, 1e-7);

    @TestFactory
    Stream<DynamicTest> followsKerasFormulas() {
        return Stream.concat(Check.commonVariants(Adagrad::new, Adagrad::new, 0.1, DEFAULT), Stream.of(
                keras("Keras defaults", new Adagrad(), reference(DEFAULT, 0.001)),
                keras("initial accumulator and epsilon", new Adagrad(0.1).initialAccumulatorValue(0.5).epsilon(0.01),
                        reference(Reference.adagrad(0.5, 0.01), 0.1)),
                keras("zero initial accumulator", new Adagrad(0.1).initialAccumulatorValue(0),
                        reference(Reference.adagrad(0, 1e-7), 0.1))));
    }

    @Test
    void float32AgreesWithFloat64() {
        Check.float32Matches(new Adagrad(0.1), reference(DEFAULT, 0.1));
    }

    @Test
    void stateRoundTrips() {
        Check.stateRoundTrips(() -> new Adagrad(0.1));
    }

    @Test
    void configHasKerasDefaults() {
        assertEquals("Adagrad(learning_rate=0.001, weight_decay=None, clipnorm=None, global_clipnorm=None,"
                + " clipvalue=None, initial_accumulator_value=0.1, epsilon=1e-07)", new Adagrad().config());
    }

    @Test
    void rejectsBadArguments() {
        rejects("Adagrad: learningRate must be a positive number, got -1.0", () -> new Adagrad(-1));
        rejects("Adagrad: initialAccumulatorValue must be a number >= 0, got -0.1",
                () -> new Adagrad().initialAccumulatorValue(-0.1));
        rejects("Adagrad: epsilon must be a number >= 0, got NaN", () -> new Adagrad().epsilon(Double.NaN));
    }
}
