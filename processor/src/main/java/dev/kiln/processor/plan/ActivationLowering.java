package dev.kiln.processor.plan;

import static dev.kiln.processor.plan.Arg.bool;
import static dev.kiln.processor.plan.Arg.ref;

import dev.kiln.dsl.Activation;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Call.Kernel;

/** An activation layer: one pass forward, one backward (a plain copy when fused with the loss). */
final class ActivationLowering implements Lowering {
    @Override
    public void forward(Node node, PlanContext c) {
        Activation act = Activation.valueOf(node.layer().constant("value"));
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        c.call(Kernel.ACTIVATIONS, "forward", y + " = " + act.name().toLowerCase() + "(" + x + ")",
                new Arg.Constant(Activation.class, act.name()), ref(x), ref(y));
    }

    @Override
    public void backward(Node node, PlanContext c) {
        String input = node.inputs().get(0);
        if (!c.needsGradient(input)) {
            return;
        }
        Activation act = Activation.valueOf(node.layer().constant("value"));
        String x = c.value(input);
        String y = c.value(node.name());
        String dy = c.gradient(node.name());
        String dx = c.gradient(input);
        boolean acc = c.accumulate(input);
        if (c.fused(node.name())) {
            c.call(Kernel.KERNELS, "copy", "the loss gave the gradient before the activation", ref(dy), ref(dx),
                    bool(acc));
        } else {
            c.call(Kernel.ACTIVATIONS, "backward", dx + (acc ? " += " : " = ") + dy + " * " + act.name().toLowerCase()
                    + "'(" + x + ")", new Arg.Constant(Activation.class, act.name()), ref(x), ref(y), ref(dy), ref(dx),
                    bool(acc));
        }
    }
}
