package dev.kiln.processor.graph;

import dev.kiln.processor.read.LayerDecl;
import java.util.List;

/**
 * A resolved node: its layer kind and annotation, the nodes it consumes (in parameter order), its output shape, and
 * its {@code @Output}, if any, and whose weights it uses: its own name, or the node it shares them with
 * ({@code @Shared}, or a second application of a nested model). {@code shape} is null when shape inference failed for
 * it (an error was reported). Nodes of a nested model are named {@code outer/inner}.
 */
public record Node(String name, LayerKind kind, LayerDecl layer, List<String> inputs, Shape shape, LayerDecl output,
        String weights) {
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
