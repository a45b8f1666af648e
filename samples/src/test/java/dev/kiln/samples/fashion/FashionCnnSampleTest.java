package dev.kiln.samples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FashionCnnSampleTest {
    @Test
    void reachesEightySevenPercentOnTheTestImagesAfterOneEpoch() {
        if (!FashionMnist.isAvailable()) {
            Assumptions.abort("Fashion-MNIST is not in " + FashionMnist.directory() + ": install it with"
                    + " `apt-get install dataset-fashion-mnist` (or point " + FashionMnist.DIRECTORY_ENV
                    + " at a directory of MNIST-format files)");
        }
        long start = System.nanoTime();
        Result result = FashionCnnSample.run(Options.defaults());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("fashion-cnn: test accuracy %.4f after 1 epoch; %.1f s with loading and evaluation%n",
                result.get("accuracy"), seconds);
        assertEquals(1, result.history().epochs().size());
        assertTrue(result.get("accuracy") >= 0.87, () -> "test accuracy " + result.get("accuracy"));
    }
}
