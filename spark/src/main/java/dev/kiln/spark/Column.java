package dev.kiln.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * One column a model reads: an input (named as the {@code @Input}) or a label (named as the {@code @Output}), with the
 * values each row must hold. A row holds {@link #width} numbers (the per-sample shape flattened in row-major order, as
 * {@code INDArray.reshape} reads it) as an array, a Spark ML vector (dense or sparse), or a plain number when the width
 * is 1 (a class id, a binary label). A {@link Sample}'s value of the same name is read by the same rules.
 */
final class Column implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a Dataset's column holds its values, found by {@link #bind}. */
    enum Kind { NUMBER, ARRAY, VECTOR }

    /** What the column feeds: {@code input} or {@code output}, for messages. */
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
    /** How the column holds its values, set by {@link #bind}; null for samples. */
    Kind kind;

    Column(String role, String name, long[] shape, String what) {
        this.role = role;
        this.name = name;
        this.shape = shape.clone();
        long w = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("the " + role + " '" + name + "' has an open axis (shape "
                        + shapeText(shape) + "): a Spark column holds one fixed length per sample, so Kiln on Spark"
                        + " takes models with fixed shapes only; declare the axis's length (e.g. the longest"
                        + " sequence, padded) to train or score such a model on Spark");
            }
            w *= d;
        }
        this.width = Math.toIntExact(w);
        this.expects = (width == 1 ? "a number or an array of 1 number" : "an array of " + width + " numbers") + " ("
                + what + ")";
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
            kind = Kind.ARRAY;
        } else if (type instanceof NumericType && width == 1) {
            kind = Kind.NUMBER;
        } else if (vectorClass(type).equals(VectorValues.VECTOR)) {
            kind = Kind.VECTOR;
        } else if (vectorClass(type).equals("org.apache.spark.mllib.linalg.Vector")) {
            throw new IllegalArgumentException("column '" + name + "' holds vectors of the RDD-based API"
                    + " (org.apache.spark.mllib.linalg), but the model's " + role + " '" + name + "' takes " + expects
                    + ": an array of numbers or a Spark ML vector (org.apache.spark.ml.linalg); convert the column with"
                    + " MLUtils.convertVectorColumnsToML(data, \"" + name + "\")");
        } else {
            throw new IllegalArgumentException("column '" + name + "' is " + type.simpleString() + ", but the model's "
                    + role + " '" + name + "' takes " + expects + ": an array of numbers"
                    + (width == 1 ? ", a Spark ML vector or a number" : " or a Spark ML vector") + " (e.g. "
                    + DataTypes.createArrayType(DataTypes.FloatType).simpleString()
                    + (shape.length > 1 ? ", the shape flattened in row-major order" : "") + ")");
        }
        index = i;
    }

    /** The class a user-defined type stands for ({@code VectorUDT}'s is the ML Vector), or "". */
    private static String vectorClass(DataType type) {
        return type instanceof UserDefinedType<?> udt ? udt.userClass().getName() : "";
    }

    /** This column's value in {@code row} (bound by {@link #bind}): null, a number, a list or a vector. */
    Object valueOf(Row row) {
        if (row.isNullAt(index)) {
            return null;
        }
        return kind == Kind.ARRAY ? row.getList(index) : row.get(index);
    }

    /**
     * Copies this column's {@code value} (a row's, as {@link #valueOf}, or a sample's) into {@code out} at
     * {@code offset}; returns null, or what is wrong with the value (the caller names the column and the row).
     */
    String read(Object value, double[] out, int offset) {
        if (value == null) {
            return "is null; the " + role + " '" + name + "' takes " + expects;
        }
        if (value instanceof Number number) {
            if (width != 1) {
                return "holds the number " + number + ", but the " + role + " '" + name + "' takes " + expects;
            }
            return put(-1, number.doubleValue(), out, offset);
        }
        if (value instanceof List<?> list) {
            if (list.size() != width) {
                return length(list.size());
            }
            for (int j = 0; j < width; j++) {
                Object v = list.get(j);
                if (v == null) {
                    return "has null at position " + j + "; the " + role + " '" + name + "' takes " + expects;
                }
                String problem = put(j, ((Number) v).doubleValue(), out, offset);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (value instanceof float[] a) {
            return a.length != width ? length(a.length) : readAll(j -> a[j], out, offset);
        }
        if (value instanceof double[] a) {
            return a.length != width ? length(a.length) : readAll(j -> a[j], out, offset);
        }
        if (value instanceof int[] a) {
            return a.length != width ? length(a.length) : readAll(j -> a[j], out, offset);
        }
        if (value instanceof long[] a) {
            return a.length != width ? length(a.length) : readAll(j -> a[j], out, offset);
        }
        if (VectorValues.isVector(value)) {
            return VectorValues.read(value, this, out, offset);
        }
        return "is a " + value.getClass().getName() + ", but the " + role + " '" + name + "' takes " + expects
                + " (a float[], double[], int[] or long[], or a number)";
    }

    private String readAll(IntToDoubleFunction values, double[] out, int offset) {
        for (int j = 0; j < width; j++) {
            String problem = put(j, values.applyAsDouble(j), out, offset);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** What is wrong with {@code count} values where the model takes {@link #width}. */
    String length(int count) {
        return "has " + count + " value" + (count == 1 ? "" : "s") + ", but the " + role + " '" + name + "' takes "
                + expects;
    }

    /**
     * Stores {@code v}, value {@code position} of an array (-1 for a plain number), at {@code offset + position}; null,
     * or what is wrong with it: not finite, or not a class id where the column holds class ids.
     */
    String put(int position, double v, double[] out, int offset) {
        if (!Double.isFinite(v)) {
            return (position < 0 ? "is " + v : "has " + String.format(Locale.ROOT, "%s", v) + " at position "
                    + position) + "; Kiln trains and predicts on finite values only";
        }
        if (classes > 0 && (v != Math.rint(v) || v < 0 || v >= classes)) {
            return "holds " + v + ", which is not a class id in 0.." + (classes - 1) + " (the output '" + name
                    + "' has " + classes + " classes)" + (position < 0 || width == 1 ? "" : " (position " + position
                    + ")");
        }
        out[offset + Math.max(position, 0)] = v;
        return null;
    }
}
