package dev.kiln.processor.plan;

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

    /** A constant of a runtime enum, e.g. {@code Merges.Op.ADD}. */
    record RuntimeConstant(String packageName, String enclosing, String type, String name) implements Arg {
    }

    /** A member the base class provides, e.g. {@code random}. */
    record Base(String name) implements Arg {
    }

    static Arg ref(String field) {
        return new Ref(field);
    }

    static Arg bool(boolean b) {
        return new Literal(Boolean.toString(b));
    }
}
