package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LabelsTest {

    @Test
    void oneHotRows() {
        INDArray oneHot = Labels.oneHot(Nd4j.createFromArray(2f, 0f, 1f), 3);
        assertEquals(Nd4j.createFromArray(new float[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}), oneHot);
    }

    @Test
    void columnIdsAndDtypes() {
        INDArray fromInts = Labels.oneHot(Nd4j.createFromArray(new int[][] {{1}, {0}}), 2);
        assertEquals(DataType.FLOAT, fromInts.dataType());
        assertEquals(Nd4j.createFromArray(new float[][] {{0, 1}, {1, 0}}), fromInts);
        assertEquals(DataType.DOUBLE, Labels.oneHot(Nd4j.createFromArray(1.0, 0.0), 2).dataType());
    }

    @Test
    void idsOutOfRange() {
        INDArray ids = Nd4j.createFromArray(0f, 1f, 2f, 3f, 4f, 12f);
        assertEquals("label 12 at sample 5 is outside 0..9",
                assertThrows(IllegalArgumentException.class, () -> Labels.oneHot(ids, 10)).getMessage());
        assertEquals("label -1 at sample 0 is outside 0..9", assertThrows(IllegalArgumentException.class,
                () -> Labels.oneHot(Nd4j.createFromArray(-1f), 10)).getMessage());
        assertEquals("label 1.5 at sample 0 is not a class id (a whole number in 0..9)", assertThrows(
                IllegalArgumentException.class, () -> Labels.oneHot(Nd4j.createFromArray(1.5f), 10)).getMessage());
        assertEquals("class ids must have shape (n) or (n, 1), got (2, 2)", assertThrows(IllegalArgumentException.class,
                () -> Labels.oneHot(Nd4j.zeros(2, 2), 10)).getMessage());
    }
}
