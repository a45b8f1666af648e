package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * Keras's element-wise merges ({@code Add}, {@code Subtract}, {@code Multiply}, {@code Average}, {@code Maximum},
 * {@code Minimum}): inputs of one rank whose axes agree or are 1 (broadcast).
 */
final class MergeKind implements LayerKind {
    private final String annotation;

    MergeKind(String annotation) {
        this.annotation = annotation;
    }

    @Override
    public String annotation() {
        return annotation;
    }

    @Override
    public int minInputs() {
        return 2;
    }

    @Override
    public int maxInputs() {
        return annotation.equals("Subtract") ? 2 : Integer.MAX_VALUE;
    }

    @Override
    public void validate(NodeDecl node, Report report) {
    }

    @Override
    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        Shape first = inputs.get(0);
        long[] out = first.dims();
        for (int k = 1; k < inputs.size(); k++) {
            Shape s = inputs.get(k);
            String a = node.parameters().get(0);
            String b = node.parameters().get(k);
            if (s.rank() != first.rank()) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), b), annotation + " '" + node.name()
                        + "' needs inputs of one rank, but '" + a + "' is " + first + " and '" + b + "' is " + s
                        + ". Reshape one of them, e.g. with @Reshape or @Flatten.");
                return null;
            }
            for (int d = 0; d < out.length; d++) {
                long x = out[d];
                long y = s.dims()[d];
                if (x == y || y == 1) {
                    continue;
                }
                if (x == 1) {
                    out[d] = y;
                    continue;
                }
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), b), annotation + " '" + node.name()
                        + "' needs inputs of one shape, but '" + a + "' is " + first + " and '" + b + "' is " + s
                        + ". " + Fixes.agree(node, a, first, b, s, d));
                return null;
            }
        }
        return new Shape(out);
    }
}
