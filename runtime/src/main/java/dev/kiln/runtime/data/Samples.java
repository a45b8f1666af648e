package dev.kiln.runtime.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** The checks a {@link Dataset} makes of each array, with messages naming the array. */
final class Samples {
    private Samples() {
    }

    /** The array's sample count (its axis 0), after checking that it is a numeric array of samples. */
    static int count(String role, String name, INDArray array) {
        String what = role + " '" + name + "'";
        DataType type = array.dataType();
        if (!type.isNumerical() && type != DataType.BOOL) {
            throw new IllegalArgumentException(what + " holds " + type + "; a data set holds numbers");
        }
        if (array.rank() == 0) {
            throw new IllegalArgumentException(what + " is a scalar; a data set holds samples along axis 0, "
                    + "e.g. an array of shape (samples, features)");
        }
        if (array.size(0) == 0) {
            throw new IllegalArgumentException(what + " has no samples; a data set needs at least one");
        }
        if (array.length() == 0) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(array.shape())
                    + ": its samples hold no values");
        }
        if (array.size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " has " + array.size(0) + " samples; at most "
                    + Integer.MAX_VALUE + " are supported");
        }
        return (int) array.size(0);
    }

    /** Checks the array's sample count against the first input's. */
    static void requireCount(String role, String name, INDArray array, String firstInput, int expected) {
        int count = count(role, name, array);
        if (count != expected) {
            throw new IllegalArgumentException(role + " '" + name + "' has " + count + " samples but input '"
                    + firstInput + "' has " + expected);
        }
    }

    /** Checks that a floating-point array holds no NaN or infinity, naming the first sample that does. */
    static void requireFinite(String role, String name, INDArray array) {
        if (!array.dataType().isFPType()) {
            return;
        }
        if (BooleanIndexing.firstIndex(array, Conditions.notFinite()).getLong(0) >= 0) {
            // the index counts in memory order; find it again in a row-major copy to name the sample
            INDArray rowMajor = array.dup('c');
            long first = BooleanIndexing.firstIndex(rowMajor, Conditions.notFinite()).getLong(0);
            double value = rowMajor.getDouble(first);
            long sample = first / (array.length() / array.size(0));
            throw new IllegalArgumentException(role + " '" + name + "' contains "
                    + (Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity") + " at sample " + sample
                    + "; remove or replace the non-finite values before making the data set");
        }
    }
}
