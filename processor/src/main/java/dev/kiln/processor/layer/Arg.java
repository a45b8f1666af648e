package dev.kiln.processor.layer;

/** An argument of a planned kernel call. */
public sealed interface Arg {
    /** A field of the generated class (a buffer, weight or gradient). */
    record Ref(String field) implements Arg {
    }

    /** A Java literal: a number or boolean, written as is. */
    record Literal(String code) implements Arg {
    }

    /** An enum constant of the DSL, e.g. {@code Activation.RELU}. */
    record Constant(Class<? extends Enum<?>> type, String name) implements Arg {
    }

    /** A constant of a runtime enum, e.g. {@code MergeConfig.Op.ADD}: the enum's qualified name, nested types with '$'. */
    record RuntimeConstant(String packageName, String enclosing, String type, String name) implements Arg {
    }

    /** A string, written as a Java string literal. */
    record Text(String value) implements Arg {
    }

    /** A member the base class provides, e.g. {@code random}. */
    record Base(String name) implements Arg {
    }

    public static Arg ref(String field) {
        return new Ref(field);
    }

    public static Arg bool(boolean b) {
        return new Literal(Boolean.toString(b));
    }

    public static Arg integer(long n) {
        return new Literal(Long.toString(n));
    }

    /** A double literal; infinities and NaN as {@code Double}'s constants. */
    public static Arg real(double x) {
        if (Double.isNaN(x)) {
            return new Literal("Double.NaN");
        }
        if (Double.isInfinite(x)) {
            return new Literal(x > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY");
        }
        return new Literal(Double.toString(x));
    }

    /** {@code new int[] {a, b}}. */
    public static Arg ints(int... values) {
        StringBuilder sb = new StringBuilder("new int[] {");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return new Literal(sb.append('}').toString());
    }
}
