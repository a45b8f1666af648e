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
}
