package dev.kiln.samples.residual;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import org.junit.jupiter.api.Test;

class ResidualSampleTest {
    @Test
    void separatesTheSpirals() {
        Result result = ResidualSample.run(Options.defaults().withQuiet(true));
        System.out.printf("residual: test accuracy %.4f%n", result.get("accuracy"));
        assertTrue(result.get("accuracy") >= 0.98, () -> "test accuracy " + result.get("accuracy"));
    }
}
