package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * What one layer annotation means to the compiler: how many inputs it takes, which attribute values are legal, its
 * output shape (Keras's {@code compute_output_shape}), its weights and its cost. Adding a layer means one LayerKind
 * here, its lowering in the plan stage, and its kernel in the runtime.
 */
public interface LayerKind {
    /** The annotation's simple name, e.g. {@code Dense}. */
    String annotation();

    /** Keras's class name for summaries, e.g. {@code Dense}. */
    default String kerasName() {
        return annotation();
    }

    /** The fewest inputs the layer takes; most take exactly one. */
    default int minInputs() {
        return 1;
    }

    /** The most inputs the layer takes. */
    default int maxInputs() {
        return 1;
    }

    /** Reports illegal attribute values on the attribute itself. */
    void validate(NodeDecl node, Report report);

    /** The output shape, or null after reporting why there is none. Only called with valid attributes and shapes. */
    Shape outputShape(NodeDecl node, List<Shape> inputs, Report report);

    /** The weights the layer owns, in the order of its Keras variables. */
    default List<Variable> variables(Node node, List<Shape> inputs) {
        return List.of();
    }

    /** Multiply-adds per sample of the forward pass. */
    default long forwardMacs(Node node, List<Shape> inputs) {
        return 0;
    }
}
