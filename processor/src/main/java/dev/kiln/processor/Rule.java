package dev.kiln.processor;

import javax.tools.Diagnostic;

/** The catalogue of what the processor reports, each with a stable ID shown in brackets before the message. */
public enum Rule {
    NOT_AN_INTERFACE("kiln/NotAnInterface"),
    METHOD_BODY("kiln/MethodBody"),
    NOT_TENSOR("kiln/NotTensor"),
    LAYER_ANNOTATION("kiln/LayerAnnotation"),
    UNKNOWN_INPUT("kiln/UnknownInput"),
    CYCLE("kiln/Cycle"),
    NO_INPUT("kiln/NoInput"),
    NO_OUTPUT("kiln/NoOutput"),
    ILLEGAL_ATTRIBUTE("kiln/IllegalAttribute"),
    INPUT_COUNT("kiln/InputCount"),
    SHAPE_MISMATCH("kiln/ShapeMismatch"),
    LOSS_MISMATCH("kiln/LossMismatch"),
    LOSS_WARNING("kiln/LossWarning", Diagnostic.Kind.WARNING),
    UNUSED_NODE("kiln/UnusedNode", Diagnostic.Kind.WARNING),
    NAME_CLASH("kiln/NameClash"),
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
