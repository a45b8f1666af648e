package dev.kiln.processor;

import javax.tools.Diagnostic;

/**
 * The catalogue of what the processor reports, each with a stable ID shown in brackets before the message. Each rule
 * has a compile-testing test named after it ({@code UnknownInputCheckTest}, ...). Warnings can be silenced with
 * {@code @SuppressWarnings("kiln/<Rule>")} (or {@code "kiln"}) on the node or the model.
 */
public enum Rule {
    /** {@code @Model} on a class, enum, record or annotation type. */
    NOT_AN_INTERFACE("kiln/NotAnInterface"),
    /** A default, static or private method: every method of a model declares a node and is abstract. */
    METHOD_BODY("kiln/MethodBody"),
    /** A node that returns, or a parameter that is, something other than {@code Tensor}. */
    NOT_TENSOR("kiln/NotTensor"),
    /** Two methods of one name (overloads): a node's name is its identity. */
    DUPLICATE_NODE("kiln/DuplicateNode"),
    /** No layer annotation, two of them, or one Kiln cannot compile. */
    LAYER_ANNOTATION("kiln/LayerAnnotation"),
    /** A parameter that names no node; suggests the closest name. */
    UNKNOWN_INPUT("kiln/UnknownInput"),
    /** A node that (indirectly) consumes itself; prints the cycle. */
    CYCLE("kiln/Cycle"),
    NO_INPUT("kiln/NoInput"),
    NO_OUTPUT("kiln/NoOutput"),
    /** An attribute value outside its legal range, on the value itself. */
    ILLEGAL_ATTRIBUTE("kiln/IllegalAttribute"),
    /** A layer given more or fewer inputs than it takes. */
    INPUT_COUNT("kiln/InputCount"),
    /** Connected nodes whose shapes do not fit; shows the path with shapes. */
    SHAPE_MISMATCH("kiln/ShapeMismatch"),
    /** An int32 input fed to a layer that computes on float values. */
    DTYPE_MISMATCH("kiln/DTypeMismatch"),
    /** A mask (padding steps to skip) reaching a layer that cannot take one. */
    MASK_UNSUPPORTED("kiln/MaskUnsupported"),
    /**
     * A {@code @Part} that selects no value of the node it consumes: a name the node has no part of, a node without
     * parts (or whose parts are off, {@code returnState = false}), a part already selected.
     */
    PART("kiln/Part"),
    /** A loss that cannot work on its output. */
    LOSS_MISMATCH("kiln/LossMismatch"),
    /** A loss that works but is almost always a mistake on its output. */
    LOSS_WARNING("kiln/LossWarning", Diagnostic.Kind.WARNING),
    /** Nodes computed for nothing: they feed no output. */
    UNUSED_NODE("kiln/UnusedNode", Diagnostic.Kind.WARNING),
    /** A generated name that is not a legal Java name, or that another model or a type of the sources has. */
    NAME_CLASH("kiln/NameClash"),
    /** A {@code -Akiln.*} processor option with a value Kiln does not understand. */
    OPTION("kiln/Option", Diagnostic.Kind.WARNING),
    /** An exception inside the processor: a bug in Kiln, reported as one error naming the model. */
    INTERNAL_ERROR("kiln/InternalError");

    private final String id;
    private final Diagnostic.Kind kind;

    Rule(String id) {
        this(id, Diagnostic.Kind.ERROR);
    }

    Rule(String id, Diagnostic.Kind kind) {
        this.id = id;
        this.kind = kind;
    }

    public String id() {
        return id;
    }

    public Diagnostic.Kind kind() {
        return kind;
    }
}
