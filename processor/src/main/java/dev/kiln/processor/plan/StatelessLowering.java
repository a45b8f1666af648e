package dev.kiln.processor.plan;

import static dev.kiln.processor.plan.Arg.bool;
import static dev.kiln.processor.plan.Arg.ref;

import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Call.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Layers without weights that combine or rearrange their inputs: the element-wise merges, Concatenate, Dot, and the
 * shape layers. Each is one kernel call forward and one per input that needs a gradient backward.
 */
final class StatelessLowering implements Lowering {
    @Override
    public void forward(Node node, PlanContext c) {
        String y = c.value(node.name());
        List<Arg> xs = inputs(node, c);
        switch (node.layer().annotation()) {
            case "Concatenate" -> c.call(Kernel.RESHAPES, "concatenate", y + " = inputs joined along axis "
                    + axis(node, c.graph()), with(new Arg.Literal(Integer.toString(axis(node, c.graph()))), ref(y), xs));
            case "Dot" -> c.call(Kernel.DOTS, "forward", y + " = " + (normalized(node) ? "cosine" : "dot product")
                    + " of the two inputs", bool(normalized(node)), xs.get(0), xs.get(1), ref(y));
            case "Flatten", "Reshape" -> c.call(Kernel.KERNELS, "copy", "same elements, shape " + node.shape(), xs.get(0),
                    ref(y), bool(false));
            case "Permute" -> c.call(Kernel.RESHAPES, "permute", "axes reordered", order(node), xs.get(0), ref(y));
            case "RepeatVector" -> c.call(Kernel.RESHAPES, "repeat", y + " = input repeated "
                    + node.layer().integer("n") + " times", xs.get(0), ref(y));
            default -> c.call(Kernel.MERGES, "forward", y + " = " + node.layer().annotation().toLowerCase(Locale.ROOT)
                    + " of the inputs", with(op(node), ref(y), xs));
        }
    }

    @Override
    public void backward(Node node, PlanContext c) {
        String y = c.value(node.name());
        String dy = c.gradient(node.name());
        List<Arg> xs = inputs(node, c);
        for (int i = 0; i < node.inputs().size(); i++) {
            String input = node.inputs().get(i);
            if (!c.needsGradient(input)) {
                continue;
            }
            String dx = c.gradient(input);
            boolean acc = c.accumulate(input);
            String what = dx + (acc ? " += " : " = ");
            Arg index = new Arg.Literal(Integer.toString(i));
            switch (node.layer().annotation()) {
                case "Concatenate" -> c.call(Kernel.RESHAPES, "concatenateBackward", what + "its slice of " + dy,
                        with(new Arg.Literal(Integer.toString(axis(node, c.graph()))), index, ref(dy), ref(dx), bool(acc),
                                xs));
                case "Dot" -> c.call(Kernel.DOTS, "backward", what + dy + " * d(dot)/d(" + input + ")",
                        bool(normalized(node)), index, xs.get(0), xs.get(1), ref(dy), ref(dx), bool(acc));
                case "Flatten", "Reshape" -> c.call(Kernel.KERNELS, "copy", what + dy + ", reshaped", ref(dy), ref(dx),
                        bool(acc));
                case "Permute" -> c.call(Kernel.RESHAPES, "permuteBackward", what + dy + " with the axes put back",
                        order(node), ref(dy), ref(dx), bool(acc));
                case "RepeatVector" -> c.call(Kernel.RESHAPES, "repeatBackward", what + "sum of " + dy
                        + " over the repeats", ref(dy), ref(dx), bool(acc));
                default -> c.call(Kernel.MERGES, "backward", what + dy + " * d(" + node.layer().annotation()
                        .toLowerCase(Locale.ROOT) + ")/d(" + input + ")", with(op(node), index, ref(dy), ref(dx),
                                bool(acc), ref(y), xs));
            }
        }
    }

    private static List<Arg> inputs(Node node, PlanContext c) {
        List<Arg> xs = new ArrayList<>();
        node.inputs().forEach(i -> xs.add(ref(c.value(i))));
        return xs;
    }

    private static Arg[] with(Object... parts) {
        List<Arg> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> list) {
                list.forEach(a -> out.add((Arg) a));
            } else {
                out.add((Arg) p);
            }
        }
        return out.toArray(Arg[]::new);
    }

    private static Arg op(Node node) {
        return new Arg.RuntimeConstant("dev.kiln.runtime.kernel", "Merges", "Op",
                node.layer().annotation().toUpperCase(Locale.ROOT));
    }

    private static boolean normalized(Node node) {
        return node.layer().flag("normalize");
    }

    /** Keras's axis (batch axis at 0, negative from the end) as a non-negative axis of the batched array. */
    private static int axis(Node node, ModelGraph graph) {
        int axis = node.layer().integer("axis");
        int rank = node.shape().rank() + 1;
        return axis < 0 ? rank + axis : axis;
    }

    /** Permute's dims with the batch axis first, 0-based. */
    private static Arg order(Node node) {
        StringBuilder sb = new StringBuilder("new int[] {0");
        for (Object d : (List<?>) node.layer().attributes().get("dims")) {
            sb.append(", ").append(((Number) d).intValue());
        }
        return new Arg.Literal(sb.append('}').toString());
    }
}
