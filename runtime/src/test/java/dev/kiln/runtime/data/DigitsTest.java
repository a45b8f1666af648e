package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DigitsTest {

    @Test
    void embeddedDigits() {
        Dataset digits = Digits.load();
        assertEquals(1797, digits.size());
        INDArray x = digits.inputs().get(0);
        INDArray y = digits.targets().get(0);
        assertArrayEquals(new long[] {1797, Digits.FEATURES}, x.shape());
        assertEquals(DataType.FLOAT, x.dataType());
        assertEquals(0.0, x.minNumber().doubleValue());
        assertEquals(1.0, x.maxNumber().doubleValue());
        assertArrayEquals(new long[] {1797}, y.shape());
        int[] counts = new int[Digits.CLASSES];
        for (float id : y.toFloatVector()) {
            counts[(int) id]++;
        }
        assertTrue(Arrays.stream(counts).allMatch(count -> count > 150), Arrays.toString(counts));
    }

    @Test
    void heldOutTwentyPercent() {
        TrainTest split = Digits.trainTestSplit(0.2, 42);
        assertEquals(1437, split.train().size());
        assertEquals(360, split.test().size());
        assertEquals(split.test().targets().get(0), Digits.trainTestSplit(0.2, 42).test().targets().get(0));
    }
}
