package dev.kiln.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One example in a {@code JavaRDD<Sample>}: values by name, as a {@code Dataset<Row>}'s columns are, one per model input
 * and, for training, one per output that has a loss, each named as the node. A value is an array ({@code float[]},
 * {@code double[]}, {@code int[]}, {@code long[]}: the per-sample shape flattened in row-major order) or a number (a
 * class id, a one-value target). Values the model does not read are carried along.
 *
 * <pre>{@code
 * JavaRDD<Sample> train = lines.map(line -> Sample.of("pixels", pixels(line)).with("label", label(line)));
 * KilnSpark.fit(model, train, SparkFit.synchronousGradients(Fit.epochs(5).batchSize(256)));
 * JavaRDD<Sample> scored = KilnSpark.predict(model, test);       // each sample with "label" added: scored.floats("label")
 * }</pre>
 *
 * <p>A sample is immutable: {@link #with} returns a new one. The arrays are not copied (an RDD holds millions of
 * samples), so an array given to a sample must not change afterwards. Whether the values fit the model is checked
 * before any training or scoring, naming the value and the sample's index.
 */
public final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> values;

    private Sample(Map<String, Object> values) {
        this.values = values;
    }

    /** A sample of one array value. */
    public static Sample of(String name, float[] values) {
        return new Sample(Map.of()).with(name, values);
    }

    /** A sample of one array value. */
    public static Sample of(String name, double[] values) {
        return new Sample(Map.of()).with(name, values);
    }

    /** A sample of one array value. */
    public static Sample of(String name, int[] values) {
        return new Sample(Map.of()).with(name, values);
    }

    /**
     * A sample of {@code values} by name, in the map's order: arrays ({@code float[]}, {@code double[]}, {@code int[]},
     * {@code long[]}) or numbers. A value of another type is reported, naming it, when the samples are checked.
     */
    public static Sample of(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "a value's name"),
                Objects.requireNonNull(value, () -> "the value of '" + name + "'")));
        return new Sample(Collections.unmodifiableMap(copy));
    }

    /** This sample with an array value {@code name} (replacing one of that name). */
    public Sample with(String name, float[] values) {
        return put(name, values);
    }

    /** This sample with an array value {@code name} (replacing one of that name). */
    public Sample with(String name, double[] values) {
        return put(name, values);
    }

    /** This sample with an array value {@code name} (replacing one of that name). */
    public Sample with(String name, int[] values) {
        return put(name, values);
    }

    /** This sample with an array value {@code name} (replacing one of that name). */
    public Sample with(String name, long[] values) {
        return put(name, values);
    }

    /** This sample with a number {@code name}, e.g. a class id (replacing a value of that name). */
    public Sample with(String name, double value) {
        return put(name, value);
    }

    /** This sample with a number {@code name}, e.g. a class id (replacing a value of that name). */
    public Sample with(String name, long value) {
        return put(name, value);
    }

    private Sample put(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, () -> "the value of '" + name + "'");
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new Sample(Collections.unmodifiableMap(copy));
    }

    /** The names of the values, in the order they were given. */
    public Set<String> names() {
        return values.keySet();
    }

    /** Whether the sample has a value {@code name}. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value {@code name} as given (an array or a number; not a copy), or null when there is none. */
    public Object get(String name) {
        return values.get(name);
    }

    /** The values by name (unmodifiable; the arrays are the sample's own). */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * Value {@code name} as a new {@code float[]}: an array converted element by element, a number as an array of
     * one. As {@code predict}'s outputs are float or double arrays, {@code scored.floats("label")} reads a score.
     */
    public float[] floats(String name) {
        double[] d = doubles(name);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Value {@code name} as a new {@code double[]}, as {@link #floats}. */
    public double[] doubles(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the sample has no value '" + name + "'; its values are " + names());
        }
        if (v instanceof double[] d) {
            return d.clone();
        }
        if (v instanceof float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (v instanceof int[] a) {
            return Arrays.stream(a).asDoubleStream().toArray();
        }
        if (v instanceof long[] a) {
            return Arrays.stream(a).asDoubleStream().toArray();
        }
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        throw new IllegalArgumentException("the sample's value '" + name + "' is a " + v.getClass().getName()
                + ", not an array of numbers or a number");
    }

    /** Equal names with equal values, arrays compared element by element. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Sample other) || !values.keySet().equals(other.values.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), other.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            h += e.getKey().hashCode() ^ Arrays.deepHashCode(new Object[] {e.getValue()});
        }
        return h;
    }

    /** {@code Sample{pixels=float[784], label=3}}. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "Sample{", "}");
        values.forEach((name, v) -> out.add(name + "=" + describe(v)));
        return out.toString();
    }

    private static String describe(Object v) {
        if (v.getClass().isArray()) {
            return v.getClass().getComponentType().getSimpleName() + "[" + java.lang.reflect.Array.getLength(v) + "]";
        }
        return String.valueOf(v);
    }
}
