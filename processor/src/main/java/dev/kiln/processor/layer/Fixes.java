package dev.kiln.processor.layer;

import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.NodeDecl;

/** The "what to do" sentence of shape errors. */
final class Fixes {
    private Fixes() {
    }

    /** Suggests making axis {@code axis} of {@code b} agree with {@code a}'s. */
    static String agree(NodeDecl node, String a, Shape sa, String b, Shape sb, int axis) {
        if (axis == sa.rank() - 1 && sa.last() > 0) {
            return "Make the widths agree, e.g. @Dense(units = " + sa.last() + ") on '" + b + "'.";
        }
        return "Make axis " + (axis + 1) + " agree (" + sa.dim(axis) + " vs " + sb.dim(axis) + ").";
    }
}
