package dev.kiln.processor.read;

import dev.kiln.dsl.Nested;
import dev.kiln.dsl.Shared;
import java.util.List;

/**
 * One abstract method of a model interface, as written: the node's name, the names of its parameters (the nodes it
 * consumes), its layer annotations (exactly one when the model is valid), its {@code @Output}, if any, and for a
 * {@code @Nested} node the declaration of the model it runs.
 */
public record NodeDecl(String name, List<String> parameters, List<LayerDecl> layers, LayerDecl output, ModelDecl nested) {
    public NodeDecl {
        parameters = List.copyOf(parameters);
        layers = List.copyOf(layers);
    }

    /** True when the node's one annotation is {@code @Shared}: it applies another node's layer. */
    public boolean isShared() {
        return layers.size() == 1 && layer().annotation().equals(Shared.class.getSimpleName());
    }

    /** True when the node's one annotation is {@code @Nested}: it runs a whole model as a layer. */
    public boolean isNested() {
        return layers.size() == 1 && layer().annotation().equals(Nested.class.getSimpleName());
    }

    /** The node's single layer annotation; only valid after the reader found exactly one. */
    public LayerDecl layer() {
        return layers.get(0);
    }
}
