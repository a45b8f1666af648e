package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @Dense}: {@code activation(x @ kernel + bias)} on the last axis, Keras's {@code Dense}. Lowered to one gemm
 * into the output buffer, then bias and activation fused into one in-place pass. GELU and swish keep their
 * pre-activation (their derivative needs it); the others differentiate from the output alone.
 */
@AutoService(LayerKind.class)
public final class DenseKind extends LayerKind<DenseKind.Attributes> {
    public record Attributes(int units, Activation activation, boolean useBias, Initializer kernelInitializer,
            Initializer biasInitializer, boolean trainable) {
    }

    @Override
    public String annotation() {
        return "Dense";
    }

    @Override
    public Example example() {
        return Example.of("@Dense(units = 3, activation = Activation.SIGMOID)", new long[] {4, 6});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("units"), d.constant("activation", Activation.class), d.flag("useBias"),
                d.constant("kernelInitializer", Initializer.class), d.constant("biasInitializer", Initializer.class),
                d.flag("trainable"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.units() <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Dense", "units"), "Dense '" + node.name()
                    + "' has units = " + a.units() + ", but a layer needs at least one unit. Use a positive width, e.g."
                    + " @Dense(units = 64).");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (in.isOpen(-1)) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), "Dense '" + node.name()
                    + "' acts on the last axis of '" + node.parameters().get(0) + "', but its shape " + in + " leaves that"
                    + " axis open.", "Give the input a fixed last axis, e.g. @Input(shape = {Input.NONE, 16}).");
            return null;
        }
        return in.withLast(a.units());
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("kernel", Shape.of(inputs.get(0).last(), a.units()), a.kernelInitializer(), a.trainable()));
        if (a.useBias()) {
            vars.add(new Variable("bias", Shape.of(a.units()), a.biasInitializer(), a.trainable()));
        }
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return inputs.get(0).elements() * a.units();
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.activation();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        affineForward(node, a.activation(), c.value(node.inputs().get(0)), c);
    }

    /**
     * {@code y = activation(x @ kernel + bias)} into the node's output, with {@code x} the rows the kernel multiplies:
     * Dense's input, or a convolution's gathered columns.
     */
    static void affineForward(Node node, Activation act, String x, Lowerer c) {
        affineForward(node, act, x, "kernel", c);
    }

    /** {@link #affineForward} with the weight {@code kernelSuffix} as the kernel (SeparableConv2D's pointwise one). */
    static void affineForward(Node node, Activation act, String x, String kernelSuffix, Lowerer c) {
        WeightFields kernel = c.weight(node, kernelSuffix);
        affineForward(node, act, c, target -> c.call(Call.KERNELS, "gemm", target + " = " + x + " @ kernel", ref(x),
                ref(kernel.field()), ref(target), bool(false), bool(false)));
    }

    /**
     * {@code y = activation(product + bias)}, where {@code product} adds the calls that write the layer's linear part
     * into the buffer it is given (the output, or the pre-activation GELU and swish keep): a gemm for Dense and the
     * convolutions, a depthwise product for DepthwiseConv2D, a col2im for Conv2DTranspose.
     */
    static void affineForward(Node node, Activation act, Lowerer c, java.util.function.Consumer<String> product) {
        String y = c.value(node.name());
        WeightFields bias = c.weight(node, "bias");
        Arg f = new Arg.Constant(Activation.class, act.name());
        String name = ActivationLayerKind.lower(act);
        if (act == Activation.LINEAR) {
            product.accept(y);
            if (bias != null) {
                c.call(Call.KERNELS, "addBias", y + " += bias", ref(y), ref(bias.field()));
            }
        } else if (ActivationLayerKind.needsInput(act) || c.fused(node.name())) {
            boolean fused = c.fused(node.name());
            String pre = c.buffer(node.name() + (fused ? "Logits" : "Pre"), node.shape());
            c.setValue(node.name() + "/pre", pre);
            if (fused) {
                c.setLogits(node.name(), pre);
            }
            product.accept(pre);
            if (bias != null) {
                c.call(Call.KERNELS, "addBias", pre + " += bias", ref(pre), ref(bias.field()));
            }
            c.call(Call.ACTIVATIONS, "forward", y + " = " + name + "(" + pre + ")" + (fused ? ", the logits kept for"
                    + " the loss" : ""), f, ref(pre), ref(y));
        } else {
            product.accept(y);
            if (bias != null) {
                c.call(Call.ACTIVATIONS, "biasForward", "bias + " + name + ", fused, in place", f, ref(y),
                        ref(bias.field()), ref(y));
            } else {
                c.call(Call.ACTIVATIONS, "forward", name + ", in place", f, ref(y), ref(y));
            }
        }
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String dy = c.gradient(node.name());
        WeightFields kernel = c.weight(node, "kernel");
        affineBackward(node, a.activation(), x, c);
        String input = node.inputs().get(0);
        if (c.needsGradient(input)) {
            String dx = c.gradient(input);
            boolean acc = c.accumulate(input);
            c.call(Call.KERNELS, acc ? "gemmAccumulate" : "gemm", dx + (acc ? " += " : " = ") + dy + " @ kernel^T",
                    ref(dy), ref(kernel.field()), ref(dx), bool(false), bool(true));
        }
    }

    /**
     * The backward pass of {@link #affineForward} up to its input: {@code dy} through the activation (in place), the
     * bias's gradient, and the kernel's, {@code x^T @ dy}. The input's gradient is the caller's.
     */
    static void affineBackward(Node node, Activation act, String x, Lowerer c) {
        affineBackward(node, act, x, "kernel", c);
    }

    /** {@link #affineBackward} with the weight {@code kernelSuffix} as the kernel. */
    static void affineBackward(Node node, Activation act, String x, String kernelSuffix, Lowerer c) {
        String dy = c.gradient(node.name());
        WeightFields kernel = c.weight(node, kernelSuffix);
        activationBackward(node, act, c);
        if (kernel.gradientField() != null) {
            kernelGradient(x, dy, kernel, c.accumulateWeight(kernel), c);
        }
    }

    /** {@code x^T @ dy} into the kernel's gradient, or added to it when {@code shared} (a later application's). */
    static void kernelGradient(String x, String dy, WeightFields kernel, boolean shared, Lowerer c) {
        c.call(Call.KERNELS, shared ? "gemmAccumulate" : "gemm", x + "^T @ " + dy + (shared
                ? ", added to the shared kernel's gradient" : ", straight into the kernel's gradient"), ref(x), ref(dy),
                ref(kernel.gradientField()), bool(true), bool(false));
    }

    /**
     * The backward pass of {@link #affineForward}'s epilogue: {@code dy} through the activation, in place (unless it
     * is fused with the loss), and the bias's gradient, its column sums. {@code dy} is then the gradient of the linear
     * part.
     */
    static void activationBackward(Node node, Activation act, Lowerer c) {
        String y = c.value(node.name());
        String dy = c.gradient(node.name());
        WeightFields bias = c.weight(node, "bias");
        boolean activation = act != Activation.LINEAR && !c.fused(node.name());
        boolean biasGradient = bias != null && bias.gradientField() != null;
        Arg f = new Arg.Constant(Activation.class, act.name());
        Arg pre = ActivationLayerKind.needsInput(act) ? ref(c.value(node.name() + "/pre")) : new Arg.Literal("null");
        String name = ActivationLayerKind.lower(act);
        if (activation && biasGradient) {
            c.call(Call.ACTIVATIONS, "backwardWithBias", dy + " *= " + name + "'(.), and its column sums into the bias"
                    + " gradient, one pass", f, pre, ref(y), ref(dy), ref(bias.gradientField()),
                    bool(c.accumulateWeight(bias)));
        } else if (activation) {
            c.call(Call.ACTIVATIONS, "backward", dy + " *= " + name + "'(.), in place", f, pre, ref(y), ref(dy), ref(dy),
                    bool(false));
        } else if (biasGradient) {
            c.call(Call.KERNELS, "biasGradient", "column sums of " + dy, ref(dy), ref(bias.gradientField()),
                    bool(c.accumulateWeight(bias)));
        }
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("DenseConfig", Arg.integer(a.units()))
                .setting(d, "activation", new Arg.Constant(Activation.class, a.activation().name()))
                .setting(d, "useBias", bool(a.useBias()))
                .setting(d, "kernelInitializer", new Arg.Constant(Initializer.class, a.kernelInitializer().name()))
                .setting(d, "biasInitializer", new Arg.Constant(Initializer.class, a.biasInitializer().name()))
                .setting(d, "trainable", bool(a.trainable()));
    }
}
