package dev.kiln.processor.layer;

import dev.kiln.dsl.Padding;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.NodeDecl;
import java.util.Arrays;

/** What the window layers' checks share (convolutions, pooling, padding, cropping, up-sampling). */
final class Windows {
    private Windows() {
    }

    /** Names of the spatial axes in a message: {@code (steps, channels)} or {@code (height, width, channels)}. */
    static String layout(int rank) {
        return rank == 1 ? "(steps, channels)" : "(height, width, channels)";
    }

    /**
     * True when {@code values} has one value for all spatial axes (or one per axis) and each is at least 1; otherwise
     * reports it on the attribute.
     */
    static boolean positive(String annotation, NodeDecl node, String attribute, String noun, int[] values, int rank,
            Report report) {
        if (values.length != 1 && values.length != rank) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation, attribute), annotation + " '"
                    + node.name() + "' has " + attribute + " = " + Arrays.toString(values) + ", but takes "
                    + (rank == 1 ? "one value" : "one value for both spatial axes or two (height, width)") + ".");
            return false;
        }
        for (int v : values) {
            if (v < 1) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation, attribute), annotation
                        + " '" + node.name() + "' has " + attribute + " = " + Arrays.toString(values) + ", but every "
                        + noun + " must be at least 1. Use e.g. " + attribute + " = 1.");
                return false;
            }
        }
        return true;
    }

    /**
     * True unless {@code padding} is {@code CAUSAL} on a layer other than {@code Conv1D}, which Keras refuses
     * ({@code "causal"} is Conv1D's alone); reports it on {@code padding}.
     */
    static boolean notCausal(String annotation, NodeDecl node, Padding padding, Report report) {
        if (padding != Padding.CAUSAL) {
            return true;
        }
        report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation, "padding"), annotation + " '"
                + node.name() + "' has padding = CAUSAL, but Keras allows causal padding only in Conv1D. Use"
                + " Padding.VALID or Padding.SAME.");
        return false;
    }

    /** True when {@code in} has the spatial axes and channels of a {@code rank}-D layer; otherwise reports it. */
    static boolean rank(String annotation, NodeDecl node, Shape in, int rank, Report report) {
        if (in.rank() == rank + 1) {
            return true;
        }
        String x = node.parameters().get(0);
        report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), x), annotation + " '" + node.name() + "' needs an"
                + " input of rank " + (rank + 1) + " " + layout(rank) + ", but '" + x + "' is " + in + ".", "Reshape it"
                + " first, e.g. @Reshape(targetShape = " + (rank == 1 ? "{steps, 1}" : "{28, 28, 1}") + ").");
        return false;
    }

    /**
     * True when {@code values} gives one, two ({@code rows, columns}) or four ({@code top, bottom, left, right})
     * amounts, none negative; otherwise reports it on the attribute.
     */
    static boolean sides(String annotation, NodeDecl node, String attribute, int[] values, Report report) {
        boolean count = values.length == 1 || values.length == 2 || values.length == 4;
        if (count && Arrays.stream(values).allMatch(v -> v >= 0)) {
            return true;
        }
        report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation, attribute), annotation + " '"
                + node.name() + "' has " + attribute + " = " + Arrays.toString(values) + ", but takes one amount for"
                + " every side, two {rows, columns} or four {top, bottom, left, right}, none negative.");
        return false;
    }

    /** {@code top, bottom, left, right} from one, two or four amounts. */
    static int[] fourSides(int[] values) {
        if (values.length == 1) {
            return new int[] {values[0], values[0], values[0], values[0]};
        }
        if (values.length == 2) {
            return new int[] {values[0], values[0], values[1], values[1]};
        }
        return values.clone();
    }
}
