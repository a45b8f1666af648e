package dev.kiln.processor.graph;

import dev.kiln.dsl.Initializer;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.List;

/** {@code @Dense}: {@code activation(x @ kernel + bias)} on the last axis, Keras's {@code Dense}. */
final class DenseKind implements LayerKind {
    @Override
    public String annotation() {
        return "Dense";
    }

    @Override
    public void validate(NodeDecl node, Report report) {
        int units = node.layer().integer("units");
        if (units <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Dense", "units"), "Dense '" + node.name()
                    + "' has units = " + units + ", but a layer needs at least one unit. Use a positive width, e.g."
                    + " @Dense(units = 64).");
        }
    }

    @Override
    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (in.isOpen(-1)) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), "Dense '" + node.name()
                    + "' acts on the last axis of '" + node.parameters().get(0) + "', but its shape " + in + " leaves that"
                    + " axis open.", "Give the input a fixed last axis, e.g. @Input(shape = {Input.NONE, 16}).");
            return null;
        }
        return in.withLast(node.layer().integer("units"));
    }

    @Override
    public List<Variable> variables(Node node, List<Shape> inputs) {
        LayerDecl d = node.layer();
        boolean trainable = d.flag("trainable");
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("kernel", Shape.of(inputs.get(0).last(), d.integer("units")),
                Initializer.valueOf(d.constant("kernelInitializer")), trainable));
        if (d.flag("useBias")) {
            vars.add(new Variable("bias", Shape.of(d.integer("units")), Initializer.valueOf(d.constant("biasInitializer")),
                    trainable));
        }
        return vars;
    }

    @Override
    public long forwardMacs(Node node, List<Shape> inputs) {
        Shape in = inputs.get(0);
        return in.elements() * node.layer().integer("units");
    }
}
