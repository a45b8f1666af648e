package dev.kiln.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link Finite#all}: every non-finite value is found wherever it sits, and no finite one is taken for it. */
class FiniteTest {
    private static final double[] NON_FINITE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void findsANonFiniteValueAnywhereInAFloatBufferLongEnoughToSplit() {
        int n = 300_001; // several chunks per thread, and a ragged end
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.rand(type, n).subi(0.5).muli(Float.MAX_VALUE); // large finite values of both signs
            assertTrue(Finite.all(a), type + ": all finite");
            for (int at : new int[] {0, 1, 4095, 4096, 150_000, n - 1}) {
                for (double bad : NON_FINITE) {
                    double keep = a.getDouble(at);
                    a.putScalar(at, bad);
                    assertFalse(Finite.all(a), type + ": " + bad + " at " + at);
                    a.putScalar(at, keep);
                }
            }
            assertTrue(Finite.all(a), type + ": finite again");
        }
    }

    @Test
    void readsOnlyItsViewOfALargerBuffer() {
        INDArray flat = Nd4j.rand(DataType.FLOAT, 10_000);
        flat.putScalar(0, Float.NaN);
        flat.putScalar(9_999, Float.POSITIVE_INFINITY);
        INDArray inside = flat.get(NDArrayIndex.interval(1, 9_999));
        assertTrue(Finite.all(inside));
        inside.putScalar(5_000, Float.NEGATIVE_INFINITY);
        assertFalse(Finite.all(inside));
        assertTrue(Finite.all(Nd4j.create(DataType.FLOAT, 0)));
        assertTrue(Finite.all(Nd4j.scalar(-0.0f)));
    }
}
