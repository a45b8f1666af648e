package dev.kiln.spark;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * Reading Spark ML vectors ({@code org.apache.spark.ml.linalg}, a {@code VectorUDT} column, as {@code VectorAssembler}
 * writes): dense or sparse, into a column's packed values. Kept apart from {@link Column} so that an application
 * without Spark ML on its classpath never loads the vector classes (they come with {@code spark-mllib}).
 */
final class VectorValues {
    /** The class a vector column's user-defined type stands for. */
    static final String VECTOR = "org.apache.spark.ml.linalg.Vector";

    private VectorValues() {
    }

    /** Whether {@code value} is a Spark ML vector, judged by its class's name (loading no ML class). */
    static boolean isVector(Object value) {
        String name = value.getClass().getName();
        return name.equals("org.apache.spark.ml.linalg.DenseVector")
                || name.equals("org.apache.spark.ml.linalg.SparseVector");
    }

    /**
     * Copies vector {@code value} into {@code out} at {@code offset} for {@code column}: its size must be the column's
     * width; a sparse vector's inactive entries are zeros. Null, or what is wrong (the caller names column and row).
     */
    static String read(Object value, Column column, double[] out, int offset) {
        Vector vector = (Vector) value;
        if (vector.size() != column.width) {
            return "holds a vector of size " + vector.size() + ", but the " + column.role + " '" + column.name
                    + "' takes " + column.expects;
        }
        if (vector instanceof DenseVector dense) {
            double[] values = dense.values();
            for (int j = 0; j < values.length; j++) {
                String problem = column.put(j, values[j], out, offset);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        SparseVector sparse = (SparseVector) vector;
        java.util.Arrays.fill(out, offset, offset + column.width, 0.0);
        int[] indices = sparse.indices();
        double[] values = sparse.values();
        for (int k = 0; k < indices.length; k++) {
            String problem = column.put(indices[k], values[k], out, offset);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
