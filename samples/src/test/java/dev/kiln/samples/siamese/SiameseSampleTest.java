package dev.kiln.samples.siamese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiameseSampleTest {
    @Test
    void tellsSameDigitsFromDifferentOnesOnUnseenImages() {
        Result result = SiameseSample.run(Options.defaults().withQuiet(true));
        System.out.printf("siamese: test accuracy %.4f on pairs of held-out images%n", result.get("accuracy"));
        assertTrue(result.get("accuracy") >= 0.93, () -> "test accuracy " + result.get("accuracy"));
    }

    @Test
    void bothImagesGoThroughOneEncoder() {
        SiameseDigitsModel model = SiameseDigitsModel.create(1);
        assertEquals(List.of("encodedLeft/hidden/kernel", "encodedLeft/hidden/bias", "encodedLeft/embedding/kernel",
                "encodedLeft/embedding/bias", "compare/kernel", "compare/bias", "same/kernel", "same/bias"),
                List.copyOf(model.getWeights().keySet()));
    }

    /** The nested encoder's weights are counted once, though two nodes apply it (the summary once said 11,489). */
    @Test
    void summaryAndCompileTimeReportTotalCountParams() throws Exception {
        SiameseDigitsModel model = SiameseDigitsModel.create(1);
        // Keras: encoder Dense(64 -> 64) + Dense(64 -> 32) once, then Dense(32 -> 32) and Dense(32 -> 1)
        long expected = (64 * 64 + 64) + (64 * 32 + 32) + (32 * 32 + 32) + (32 + 1);
        assertEquals(expected, model.countParams());
        String total = String.format("Total params: %,d ", expected);
        assertTrue(model.summary().contains(total), model.summary());
        try (var in = getClass().getResourceAsStream("/META-INF/kiln/dev.kiln.samples.siamese.SiameseDigits.txt")) {
            String report = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(report.contains(total), report);
        }
    }
}
