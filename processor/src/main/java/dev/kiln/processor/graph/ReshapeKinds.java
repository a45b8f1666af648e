package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.NodeDecl;
import java.util.Arrays;
import java.util.List;

/** Keras's shape layers: {@code Flatten}, {@code Reshape}, {@code Permute}, {@code RepeatVector}. */
final class ReshapeKinds {
    private ReshapeKinds() {
    }

    static List<LayerKind> all() {
        return List.of(new FlattenKind(), new ReshapeKind(), new PermuteKind(), new RepeatVectorKind());
    }

    /** A shape layer: no attributes to validate beyond its own, and a check that its input's axes are known. */
    private abstract static class ShapeLayer implements LayerKind {
        @Override
        public void validate(NodeDecl node, Report report) {
        }

        boolean fixed(NodeDecl node, Shape in, Report report) {
            for (long d : in.dims()) {
                if (d < 0) {
                    report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), "@"
                            + annotation() + " '" + node.name() + "' needs every axis of its input known, but '"
                            + node.parameters().get(0) + "' is " + in + ".");
                    return false;
                }
            }
            return true;
        }
    }

    static final class FlattenKind extends ShapeLayer {
        @Override
        public String annotation() {
            return "Flatten";
        }

        @Override
        public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
            Shape in = inputs.get(0);
            return fixed(node, in, report) ? Shape.of(in.elements()) : null;
        }
    }

    static final class ReshapeKind extends ShapeLayer {
        @Override
        public String annotation() {
            return "Reshape";
        }

        @Override
        public void validate(NodeDecl node, Report report) {
            List<?> target = (List<?>) node.layer().attributes().get("targetShape");
            long unknown = target.stream().filter(o -> ((Number) o).intValue() == -1).count();
            boolean bad = target.isEmpty() || unknown > 1
                    || target.stream().anyMatch(o -> ((Number) o).intValue() == 0 || ((Number) o).intValue() < -1);
            if (bad) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Reshape", "targetShape"), "Reshape '"
                        + node.name() + "' has targetShape = " + target + ". Give the shape of one sample: positive"
                        + " lengths, at most one -1 to infer.");
            }
        }

        @Override
        public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
            Shape in = inputs.get(0);
            if (!fixed(node, in, report)) {
                return null;
            }
            List<?> target = (List<?>) node.layer().attributes().get("targetShape");
            long[] out = new long[target.size()];
            long known = 1;
            int infer = -1;
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) target.get(i)).longValue();
                if (out[i] == -1) {
                    infer = i;
                } else {
                    known *= out[i];
                }
            }
            long n = in.elements();
            if (infer >= 0 && n % known == 0) {
                out[infer] = n / known;
                known = n;
            }
            if (known != n) {
                report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), "Reshape", "targetShape"), "Reshape '"
                        + node.name() + "' turns " + in + " (" + n + " values) into " + target + ", which holds "
                        + (infer >= 0 ? "no whole multiple of " + known : Long.toString(known)) + " values. Choose a"
                        + " target shape with " + n + " values.");
                return null;
            }
            return new Shape(out);
        }
    }

    static final class PermuteKind extends ShapeLayer {
        @Override
        public String annotation() {
            return "Permute";
        }

        @Override
        public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
            Shape in = inputs.get(0);
            List<?> dims = (List<?>) node.layer().attributes().get("dims");
            int[] order = dims.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            boolean ok = order.length == in.rank();
            for (int i = 0; ok && i < sorted.length; i++) {
                ok = sorted[i] == i + 1;
            }
            if (!ok) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Permute", "dims"), "Permute '"
                        + node.name() + "' has dims = " + dims + ", but its input " + in + " needs a permutation of 1.."
                        + in.rank() + " (1-based, the batch axis stays first).");
                return null;
            }
            long[] out = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                out[i] = in.dims()[order[i] - 1];
            }
            return new Shape(out);
        }
    }

    static final class RepeatVectorKind extends ShapeLayer {
        @Override
        public String annotation() {
            return "RepeatVector";
        }

        @Override
        public void validate(NodeDecl node, Report report) {
            if (node.layer().integer("n") <= 0) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "RepeatVector", "n"), "RepeatVector '"
                        + node.name() + "' has n = " + node.layer().integer("n") + "; it repeats its input n > 0 times.");
            }
        }

        @Override
        public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
            Shape in = inputs.get(0);
            if (in.rank() != 1) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), "RepeatVector '"
                        + node.name() + "' repeats a vector, but '" + node.parameters().get(0) + "' is " + in
                        + ". Flatten it first.");
                return null;
            }
            return Shape.of(node.layer().integer("n"), in.last());
        }
    }
}
