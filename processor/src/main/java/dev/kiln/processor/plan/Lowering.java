package dev.kiln.processor.plan;

import dev.kiln.processor.graph.Node;

/** How one layer kind becomes kernel calls: its forward block, and its backward block when a gradient reaches it. */
interface Lowering {
    void forward(Node node, PlanContext c);

    void backward(Node node, PlanContext c);

    static Lowering of(Node node) {
        switch (node.layer().annotation()) {
            case "Dense":
                return new DenseLowering();
            case "ActivationLayer":
                return new ActivationLowering();
            case "Dropout":
                return new DropoutLowering();
            case "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "Flatten",
                    "Reshape", "Permute", "RepeatVector":
                return new StatelessLowering();
            default:
                throw new AssertionError("no lowering for @" + node.layer().annotation());
        }
    }
}
