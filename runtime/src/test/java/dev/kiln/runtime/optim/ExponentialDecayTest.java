package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExponentialDecayTest {

    @Test
    void decaysAsKerasComputesIt() {
        ExponentialDecay smooth = new ExponentialDecay(0.1, 4, 0.5);
        assertEquals(0.1, smooth.at(0));
        assertEquals(0.1 * Math.pow(0.5, 0.25), smooth.at(1), 1e-17);
        assertEquals(0.05, smooth.at(4), 1e-17);
        assertEquals(0.1 * Math.pow(0.5, 2.5), smooth.at(10), 1e-17);
    }

    @Test
    void staircaseDecaysInWholeSteps() {
        ExponentialDecay stairs = new ExponentialDecay(0.1, 4, 0.5, true);
        assertEquals(0.1, stairs.at(3));
        assertEquals(0.05, stairs.at(4));
        assertEquals(0.05, stairs.at(7));
        assertEquals(0.025, stairs.at(8));
    }

    @Test
    void rejectsBadArguments() {
        rejects("ExponentialDecay: decaySteps must be a positive number, got 0", () -> new ExponentialDecay(0.1, 0, 0.5));
        rejects("ExponentialDecay: initialLearningRate must be a positive number, got -0.1",
                () -> new ExponentialDecay(-0.1, 10, 0.5));
        rejects("ExponentialDecay: decayRate must be a positive number, got 0.0", () -> new ExponentialDecay(0.1, 10, 0));
    }
}
