package dev.kiln.processor.graph;

import dev.kiln.processor.read.LayerDecl;
import java.util.List;

/**
 * A resolved node: its layer kind and annotation, the nodes it consumes (in parameter order), its output shape, and
 * its {@code @Output}, if any. {@code shape} is null when shape inference failed for it (an error was reported).
 */
public record Node(String name, LayerKind kind, LayerDecl layer, List<String> inputs, Shape shape, LayerDecl output) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    public boolean isInput() {
        return kind instanceof InputKind;
    }

    public boolean isOutput() {
        return output != null;
    }
}
