package dev.kiln.processor.read;

import dev.kiln.dsl.Nested;
import dev.kiln.dsl.Part;
import dev.kiln.dsl.Shared;
import java.util.List;

/**
 * One abstract method of a model interface, as written: the node's name, the names of its parameters (the nodes it
 * consumes), its layer annotations (exactly one when the model is valid), its {@code @Output}, if any, for a
 * {@code @Nested} node the declaration of the model it runs, and the positions of the parameters marked
 * {@code @InitialState}.
 */
public record NodeDecl(String name, List<String> parameters, List<LayerDecl> layers, LayerDecl output, ModelDecl nested,
        List<Integer> initialStates) {
    public NodeDecl {
        parameters = List.copyOf(parameters);
        layers = List.copyOf(layers);
        initialStates = List.copyOf(initialStates);
    }

    /** A node without {@code @InitialState} parameters. */
    public NodeDecl(String name, List<String> parameters, List<LayerDecl> layers, LayerDecl output, ModelDecl nested) {
        this(name, parameters, layers, output, nested, List.of());
    }

    /** True when the node's one annotation is {@code @Shared}: it applies another node's layer. */
    public boolean isShared() {
        return layers.size() == 1 && layer().annotation().equals(Shared.class.getSimpleName());
    }

    /** True when the node's one annotation is {@code @Nested}: it runs a whole model as a layer. */
    public boolean isNested() {
        return layers.size() == 1 && layer().annotation().equals(Nested.class.getSimpleName());
    }

    /** True when the node's one annotation is {@code @Part}: it selects a further value of the node it consumes. */
    public boolean isPart() {
        return layers.size() == 1 && layer().annotation().equals(Part.class.getSimpleName());
    }

    /** The node's single layer annotation; only valid after the reader found exactly one. */
    public LayerDecl layer() {
        return layers.get(0);
    }
}
