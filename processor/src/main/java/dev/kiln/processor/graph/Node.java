package dev.kiln.processor.graph;

import dev.kiln.processor.layer.Layer;
import dev.kiln.processor.read.LayerDecl;
import java.util.List;

/**
 * A resolved node: its layer (kind and typed attributes), the nodes it consumes (in parameter order), its output shape,
 * its {@code @Output}, if any, and whose weights it uses: its own name, or the node it shares them with
 * ({@code @Shared}, or a second application of a nested model). {@code shape} is null when shape inference failed for
 * it (an error was reported); {@code layer} is null for a node whose layer annotation is missing or unknown (also
 * reported). Nodes of a nested model are named {@code outer/inner}.
 */
public record Node(String name, Layer<?> layer, List<String> inputs, Shape shape, LayerDecl output, String weights) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    /** The layer annotation as written (for a shared node, the annotation of the layer it applies). */
    public LayerDecl decl() {
        return layer == null ? null : layer.decl();
    }

    public boolean isInput() {
        return layer != null && layer.isInput();
    }

    public boolean isOutput() {
        return output != null;
    }
}
