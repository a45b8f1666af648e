package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @Input(shape)}: a model input, Keras's {@code Input}. */
final class InputKind implements LayerKind {
    @Override
    public String annotation() {
        return "Input";
    }

    @Override
    public String kerasName() {
        return "InputLayer";
    }

    @Override
    public int minInputs() {
        return 0;
    }

    @Override
    public int maxInputs() {
        return 0;
    }

    @Override
    public void validate(NodeDecl node, Report report) {
        List<?> shape = (List<?>) node.layer().attributes().get("shape");
        Site site = Site.attribute(node.name(), "Input", "shape");
        if (shape.isEmpty()) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, site, "input '" + node.name() + "' has an empty shape. Give the shape of one"
                    + " sample without the batch axis, e.g. @Input(shape = 32) or @Input(shape = {28, 28, 1}).");
            return;
        }
        for (int i = 0; i < shape.size(); i++) {
            int d = ((Number) shape.get(i)).intValue();
            if (d <= 0 && d != dev.kiln.dsl.Input.NONE) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.element(node.name(), "Input", "shape", i), "input '" + node.name()
                        + "' has axis length " + d + " in " + node.layer().source() + ", but every axis is positive,"
                        + " or Input.NONE for one only known at run time. Use e.g. @Input(shape = 32).");
                return;
            }
        }
    }

    /** Open axes get placeholders here; {@link GraphBuilder} numbers them across the model. */
    @Override
    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        List<?> shape = (List<?>) node.layer().attributes().get("shape");
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = ((Number) shape.get(i)).longValue();
        }
        return new Shape(dims);
    }
}
