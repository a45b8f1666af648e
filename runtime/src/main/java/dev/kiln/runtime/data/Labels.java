package dev.kiln.runtime.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions of class labels. */
public final class Labels {
    private Labels() {
    }

    /**
     * One-hot rows for class ids, as Keras's {@code to_categorical}: ids of shape {@code (n)} or {@code (n, 1)} give
     * {@code (n, numClasses)}, of the ids' floating-point dtype (float32 for integer ids). Throws
     * {@link IllegalArgumentException} for an id that is not a whole number in {@code 0..numClasses-1}.
     */
    public static INDArray oneHot(INDArray classIds, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        if (classIds.rank() == 0 || classIds.rank() > 2 || classIds.rank() == 2 && classIds.size(1) != 1) {
            throw new IllegalArgumentException("class ids must have shape (n) or (n, 1), got "
                    + Arrays.toString(classIds.shape()).replace('[', '(').replace(']', ')'));
        }
        int n = (int) classIds.size(0);
        double[] ids = classIds.reshape(n).toDoubleVector();
        float[] rows = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            double id = ids[i];
            if (id != Math.rint(id)) {
                throw new IllegalArgumentException("label " + id + " at sample " + i + " is not a class id (a whole"
                        + " number in 0.." + (numClasses - 1) + ")");
            }
            if (id < 0 || id >= numClasses) {
                throw new IllegalArgumentException("label " + (long) id + " at sample " + i + " is outside 0.."
                        + (numClasses - 1));
            }
            rows[i * numClasses + (int) id] = 1;
        }
        INDArray oneHot = Nd4j.create(rows, new long[] {n, numClasses}, DataType.FLOAT);
        DataType type = classIds.dataType();
        return type.isFPType() && type != DataType.FLOAT ? oneHot.castTo(type) : oneHot;
    }
}
