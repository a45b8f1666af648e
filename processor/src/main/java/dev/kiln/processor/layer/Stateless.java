package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.ref;

import dev.kiln.processor.graph.Node;
import java.util.ArrayList;
import java.util.List;

/** What the weightless layers' lowerings share: their inputs as arguments, and one backward call per input. */
final class Stateless {
    private Stateless() {
    }

    /** One backward call for input {@code index}, writing or adding ({@code accumulate}) into {@code dx}. */
    interface InputGradient {
        void call(int index, String dx, boolean accumulate, String what);
    }

    /** Calls {@code each} for every input that needs a gradient, in order. */
    static void eachInput(Node node, Lowerer c, InputGradient each) {
        for (int i = 0; i < node.inputs().size(); i++) {
            String input = node.inputs().get(i);
            if (!c.needsGradient(input)) {
                continue;
            }
            String dx = c.gradient(input);
            boolean acc = c.accumulate(input);
            each.call(i, dx, acc, dx + (acc ? " += " : " = "));
        }
    }

    /** The fields of the node's inputs, in parameter order. */
    static List<Arg> inputs(Node node, Lowerer c) {
        List<Arg> xs = new ArrayList<>();
        node.inputs().forEach(i -> xs.add(ref(c.value(i))));
        return xs;
    }

    /** Arguments and lists of arguments, flattened. */
    static Arg[] with(Object... parts) {
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
}
