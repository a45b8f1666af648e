package dev.kiln.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One column a model reads: an input (named as the {@code @Input}) or a label (named as the {@code @Output}), with the
 * values each row must hold. A row holds an array of {@link #width} numbers (the per-sample shape flattened in row-major
 * order, as {@code INDArray.reshape} reads it), or a plain number when the width is 1 (a class id, a binary label).
 */
final class Column implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the column feeds: {@code input} or {@code label}, for messages. */
    final String role;
    final String name;
    /** The per-sample shape, without the batch axis. */
    final long[] shape;
    final int width;
    /** What the model expects, in words, for messages: {@code an array of 64 numbers (the input's shape (64))}. */
    final String expects;
    /** For the class ids of a sparse loss, the number of classes (an id must be an integer in 0..classes-1); else 0. */
    long classes;
    /** The column's position in the schema, set by {@link #bind}. */
    int index = -1;
    /** Whether the column holds arrays (otherwise numbers), set by {@link #bind}. */
    boolean array;

    Column(String role, String name, long[] shape, String what) {
        this.role = role;
        this.name = name;
        this.shape = shape.clone();
        long w = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("the " + role + " '" + name + "' has an open axis (shape "
                        + shapeText(shape) + "): a Spark column holds one fixed length per sample, so Kiln on Spark"
                        + " takes models with fixed shapes only");
            }
            w *= d;
        }
        this.width = Math.toIntExact(w);
        this.expects = (width == 1 ? "a number or an array of 1 number" : "an array of " + width + " numbers") + " ("
                + what + ")";
    }

    private String classId(double v) {
        if (classes > 0 && (v != Math.rint(v) || v < 0 || v >= classes)) {
            return "holds " + v + ", which is not a class id in 0.." + (classes - 1) + " (the output '" + name
                    + "' has " + classes + " classes)";
        }
        return null;
    }

    /** A per-sample shape in Keras's notation without the batch axis: {@code (64)}, {@code (8, 8, 1)}. */
    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "None" : Long.toString(shape[i]));
        }
        return sb.append(')').toString();
    }

    /** Finds the column in {@code schema} and checks its type, before any job runs. */
    void bind(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("the data has no column '" + name + "' for the model's " + role + " '"
                    + name + "', which takes " + expects + "; its columns are " + names);
        }
        StructField field = schema.fields()[i];
        DataType type = field.dataType();
        if (type instanceof ArrayType && ((ArrayType) type).elementType() instanceof NumericType) {
            array = true;
        } else if (type instanceof NumericType && width == 1) {
            array = false;
        } else {
            throw new IllegalArgumentException("column '" + name + "' is " + type.simpleString() + ", but the model's "
                    + role + " '" + name + "' takes " + expects + ": an array of numbers"
                    + (width == 1 ? " or a number" : "") + " (e.g. " + DataTypes.createArrayType(DataTypes.FloatType)
                    .simpleString() + ")");
        }
        index = i;
    }

    /**
     * Copies this column's values of {@code row} into {@code out} at {@code offset}; returns null, or what is wrong
     * with the row's value (the caller adds the row's number).
     */
    String read(Row row, double[] out, int offset) {
        if (row.isNullAt(index)) {
            return "is null; the " + role + " '" + name + "' takes " + expects;
        }
        if (!array) {
            double v = ((Number) row.get(index)).doubleValue();
            if (!Double.isFinite(v)) {
                return "is " + v + "; Kiln trains and predicts on finite values only";
            }
            String id = classId(v);
            if (id != null) {
                return id;
            }
            out[offset] = v;
            return null;
        }
        List<Object> values = row.getList(index);
        if (values.size() != width) {
            return "has " + values.size() + " value" + (values.size() == 1 ? "" : "s") + ", but the " + role + " '"
                    + name + "' takes " + expects;
        }
        for (int j = 0; j < width; j++) {
            Object v = values.get(j);
            if (v == null) {
                return "has null at position " + j + "; the " + role + " '" + name + "' takes " + expects;
            }
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return "has " + String.format(Locale.ROOT, "%s", d) + " at position " + j
                        + "; Kiln trains and predicts on finite values only";
            }
            String id = classId(d);
            if (id != null) {
                return id + (width == 1 ? "" : " (position " + j + ")");
            }
            out[offset + j] = d;
        }
        return null;
    }
}
