package dev.kiln.samples.news;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class NewsSampleTest {
    @Test
    void learnsBothRules() {
        Result result = NewsSample.run(Options.defaults().withQuiet(true));
        System.out.println("news: test " + result.test());
        assertTrue(result.get("mainOutput_accuracy") >= 0.95, () -> "main accuracy " + result.test());
        assertTrue(result.get("auxOutput_accuracy") >= 0.98, () -> "aux accuracy " + result.test());
        // Keras's loss_weights: the total is 1.0 * main + 0.2 * aux
        assertEquals(result.get("mainOutput_loss") + 0.2 * result.get("auxOutput_loss"), result.get("loss"), 1e-4);
    }

    @Test
    void predictTakesBothInputsByNameAndReturnsBothOutputs() {
        NewsHeadlinesModel model = NewsHeadlinesModel.create(1);
        NewsHeadlinesModel.Outputs out = model.predict(Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5, 6, 7, 8},
                {0, 10, 20, 30, 40, 50, 60, 70}, {99, 98, 97, 96, 95, 94, 93, 92}}),
                Nd4j.rand(DataType.FLOAT, 3, NewsSample.METADATA));
        assertArrayEquals(new long[] {3, 1}, out.mainOutput().shape());
        assertArrayEquals(new long[] {3, 1}, out.auxOutput().shape());
    }
}
