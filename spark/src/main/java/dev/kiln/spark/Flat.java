package dev.kiln.spark;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A flat vector (weights, a slot of optimizer state) in the form it travels between driver and executors: the model's
 * own precision, float32 or float64, with nothing else attached.
 */
final class Flat implements Serializable {
    private static final long serialVersionUID = 1L;

    final float[] floats;
    final double[] doubles;

    private Flat(float[] floats, double[] doubles) {
        this.floats = floats;
        this.doubles = doubles;
    }

    /** A copy of {@code a}'s values, flattened in row-major order, in its data type. */
    static Flat of(INDArray a) {
        INDArray flat = a.ravel();
        return a.dataType() == DataType.DOUBLE ? new Flat(null, flat.toDoubleVector())
                : new Flat(flat.toFloatVector(), null);
    }

    /** The values as a new float64 vector. */
    double[] toDoubles() {
        if (doubles != null) {
            return doubles.clone();
        }
        double[] d = new double[floats.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = floats[i];
        }
        return d;
    }

    int length() {
        return doubles != null ? doubles.length : floats.length;
    }

    /** Bytes of payload: 4 or 8 a value. */
    long bytes() {
        return doubles != null ? 8L * doubles.length : 4L * floats.length;
    }

    /** Copies the values into {@code target} (same length, any layout of a contiguous buffer). */
    void copyInto(INDArray target) {
        INDArray source = doubles != null ? Nd4j.createFromArray(doubles) : Nd4j.createFromArray(floats);
        target.assign(source.reshape(target.shape()).castTo(target.dataType()));
    }
}
