package dev.kiln.processor.plan;

import dev.kiln.dsl.Activation;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;

/** The activation a node's output ends in, looking through layers that pass values on unchanged. */
public final class Activations {
    private Activations() {
    }

    public static Activation of(ModelGraph graph, Node n) {
        if (n.layer() == null) {
            return Activation.LINEAR;
        }
        switch (n.layer().annotation()) {
            case "Dense":
                return Activation.valueOf(n.layer().constant("activation"));
            case "ActivationLayer":
                return Activation.valueOf(n.layer().constant("value"));
            case "Dropout":
                return of(graph, graph.node(n.inputs().get(0)));
            default:
                return Activation.LINEAR;
        }
    }
}
