package dev.kiln.processor.plan;

import static dev.kiln.processor.plan.Arg.bool;
import static dev.kiln.processor.plan.Arg.ref;

import dev.kiln.dsl.Activation;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Call.Kernel;

/**
 * Dense: one gemm into the output buffer, then bias and activation fused into one in-place pass. GELU and swish keep
 * their pre-activation (their derivative needs it); the others differentiate from the output alone.
 */
final class DenseLowering implements Lowering {
    @Override
    public void forward(Node node, PlanContext c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        Activation act = Activation.valueOf(node.layer().constant("activation"));
        Plan.Weight kernel = c.weight(node, "kernel");
        Plan.Weight bias = c.weight(node, "bias");
        Arg f = new Arg.Constant(Activation.class, act.name());
        if (act == Activation.LINEAR) {
            c.call(Kernel.KERNELS, "gemm", y + " = " + x + " @ kernel", ref(x), ref(kernel.field()), ref(y), bool(false),
                    bool(false));
            if (bias != null) {
                c.call(Kernel.KERNELS, "addBias", y + " += bias", ref(y), ref(bias.field()));
            }
        } else if (needsPreActivation(act)) {
            String pre = preActivation(node, c);
            c.call(Kernel.KERNELS, "gemm", pre + " = " + x + " @ kernel", ref(x), ref(kernel.field()), ref(pre),
                    bool(false), bool(false));
            if (bias != null) {
                c.call(Kernel.KERNELS, "addBias", pre + " += bias", ref(pre), ref(bias.field()));
            }
            c.call(Kernel.ACTIVATIONS, "forward", y + " = " + act.name().toLowerCase() + "(" + pre + ")", f, ref(pre),
                    ref(y));
        } else {
            c.call(Kernel.KERNELS, "gemm", y + " = " + x + " @ kernel", ref(x), ref(kernel.field()), ref(y), bool(false),
                    bool(false));
            if (bias != null) {
                c.call(Kernel.ACTIVATIONS, "biasForward", "bias + " + act.name().toLowerCase() + ", fused, in place", f,
                        ref(y), ref(bias.field()), ref(y));
            } else {
                c.call(Kernel.ACTIVATIONS, "forward", act.name().toLowerCase() + ", in place", f, ref(y), ref(y));
            }
        }
    }

    @Override
    public void backward(Node node, PlanContext c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        String dy = c.gradient(node.name());
        Activation act = Activation.valueOf(node.layer().constant("activation"));
        Plan.Weight kernel = c.weight(node, "kernel");
        Plan.Weight bias = c.weight(node, "bias");
        boolean activation = act != Activation.LINEAR && !c.fused(node.name());
        boolean biasGradient = bias != null && bias.gradientField() != null;
        Arg f = new Arg.Constant(Activation.class, act.name());
        Arg pre = needsPreActivation(act) ? ref(preActivationField(node, c)) : new Arg.Literal("null");
        if (activation && biasGradient) {
            c.call(Kernel.ACTIVATIONS, "backwardWithBias", dy + " *= " + act.name().toLowerCase() + "'(.), and its"
                    + " column sums into the bias gradient, one pass", f, pre, ref(y), ref(dy), ref(bias.gradientField()),
                    bool(c.accumulateWeight(bias)));
        } else if (activation) {
            c.call(Kernel.ACTIVATIONS, "backward", dy + " *= " + act.name().toLowerCase() + "'(.), in place", f, pre,
                    ref(y), ref(dy), ref(dy), bool(false));
        } else if (biasGradient) {
            c.call(Kernel.KERNELS, "biasGradient", "column sums of " + dy, ref(dy), ref(bias.gradientField()),
                    bool(c.accumulateWeight(bias)));
        }
        if (kernel.gradientField() != null) {
            boolean shared = c.accumulateWeight(kernel);
            c.call(Kernel.KERNELS, shared ? "gemmAccumulate" : "gemm", x + "^T @ " + dy + (shared
                    ? ", added to the shared kernel's gradient" : ", straight into the kernel's gradient"), ref(x),
                    ref(dy), ref(kernel.gradientField()), bool(true), bool(false));
        }
        String input = node.inputs().get(0);
        if (c.needsGradient(input)) {
            String dx = c.gradient(input);
            boolean acc = c.accumulate(input);
            c.call(Kernel.KERNELS, acc ? "gemmAccumulate" : "gemm", dx + (acc ? " += " : " = ") + dy + " @ kernel^T",
                    ref(dy), ref(kernel.field()), ref(dx), bool(false), bool(true));
        }
    }

    static boolean needsPreActivation(Activation act) {
        return act == Activation.GELU || act == Activation.SWISH || act == Activation.SILU;
    }

    private static String preActivation(Node node, PlanContext c) {
        String field = c.buffer(node.name() + "Pre", node.shape());
        c.setValue(node.name() + "/pre", field);
        return field;
    }

    private static String preActivationField(Node node, PlanContext c) {
        return c.value(node.name() + "/pre");
    }
}
