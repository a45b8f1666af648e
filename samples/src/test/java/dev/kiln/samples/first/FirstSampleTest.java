package dev.kiln.samples.first;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class FirstSampleTest {
    @Test
    void predictsABatch() {
        FirstNetworkModel model = FirstNetworkModel.create(42);
        assertArrayEquals(new long[] {4, 32}, model.predict(Nd4j.rand(DataType.FLOAT, 4, 32)).shape());
    }

    @Test
    void learnsTheLinearMapDownToTheNoise() {
        Result result = FirstSample.run(Options.defaults().withQuiet(true));
        System.out.printf("first: test MSE %.4f before training, %.4f after (noise variance 0.01)%n",
                result.get("initial_loss"), result.get("loss"));
        assertTrue(result.get("initial_loss") > 0.5, () -> "initial MSE " + result.get("initial_loss"));
        assertTrue(result.get("loss") < 0.0125, () -> "final MSE " + result.get("loss"));
    }
}
