package dev.kiln.processor.plan;

import static dev.kiln.processor.plan.Arg.bool;
import static dev.kiln.processor.plan.Arg.ref;

import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Call.Kernel;
import dev.kiln.processor.plan.Call.When;

/** Dropout: a mask drawn in training (kept for backward), a copy at inference. */
final class DropoutLowering implements Lowering {
    @Override
    public void forward(Node node, PlanContext c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        double rate = node.layer().real("rate");
        if (rate == 0) {
            c.call(Kernel.KERNELS, "copy", "rate 0: identity", ref(x), ref(y), bool(false));
            return;
        }
        String mask = c.buffer(node.name() + "Mask", node.shape());
        c.setValue(node.name() + "/mask", mask);
        c.call(When.TRAINING, Kernel.KERNELS, "dropout", "keep with p = " + (1 - rate) + ", scale by 1/(1 - rate)",
                ref(x), ref(mask), ref(y), new Arg.Literal(Double.toString(rate)), new Arg.Base("random"));
        c.call(When.INFERENCE, Kernel.KERNELS, "copy", "identity at inference", ref(x), ref(y), bool(false));
    }

    @Override
    public void backward(Node node, PlanContext c) {
        String input = node.inputs().get(0);
        if (!c.needsGradient(input)) {
            return;
        }
        String dy = c.gradient(node.name());
        String dx = c.gradient(input);
        boolean acc = c.accumulate(input);
        String mask = c.value(node.name() + "/mask");
        if (mask == null) {
            c.call(Kernel.KERNELS, "copy", "rate 0: identity", ref(dy), ref(dx), bool(acc));
            return;
        }
        c.call(When.TRAINING, Kernel.KERNELS, "multiply", dx + (acc ? " += " : " = ") + dy + " * mask", ref(dy),
                ref(mask), ref(dx), bool(acc));
        c.call(When.INFERENCE, Kernel.KERNELS, "copy", "identity at inference", ref(dy), ref(dx), bool(acc));
    }
}
