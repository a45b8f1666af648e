package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @ActivationLayer}: an activation as a node of its own, Keras's {@code Activation} layer. */
final class ActivationKind implements LayerKind {
    @Override
    public String annotation() {
        return "ActivationLayer";
    }

    @Override
    public String kerasName() {
        return "Activation";
    }

    @Override
    public void validate(NodeDecl node, Report report) {
    }

    @Override
    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        return inputs.get(0);
    }
}
