package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;
import java.util.Locale;

/**
 * {@code @ActivationLayer}: an activation as a node of its own, Keras's {@code Activation} layer. One pass forward, one
 * backward (a plain copy when the loss is fused with it).
 */
@AutoService(LayerKind.class)
public final class ActivationLayerKind extends LayerKind<ActivationLayerKind.Attributes> {
    public record Attributes(Activation activation) {
    }

    @Override
    public String annotation() {
        return "ActivationLayer";
    }

    @Override
    public Example example() {
        return Example.of("@ActivationLayer(Activation.TANH)", new long[] {4, 6});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    public String kerasName() {
        return "Activation";
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.constant("value", Activation.class));
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        return inputs.get(0);
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.activation();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        c.call(Call.ACTIVATIONS, "forward", y + " = " + lower(a.activation()) + "(" + x + ")",
                new Arg.Constant(Activation.class, a.activation().name()), ref(x), ref(y));
        if (c.fused(node.name())) {
            c.setLogits(node.name(), x);
        }
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        if (!c.needsGradient(input)) {
            return;
        }
        String x = c.value(input);
        String y = c.value(node.name());
        String dy = c.gradient(node.name());
        String dx = c.gradient(input);
        boolean acc = c.accumulate(input);
        if (c.fused(node.name())) {
            c.call(Call.KERNELS, "copy", "the loss gave the gradient before the activation", ref(dy), ref(dx), bool(acc));
        } else {
            c.call(Call.ACTIVATIONS, "backward", dx + (acc ? " += " : " = ") + dy + " * " + lower(a.activation())
                    + "'(" + x + ")", new Arg.Constant(Activation.class, a.activation().name()), ref(x), ref(y), ref(dy),
                    ref(dx), bool(acc));
        }
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("ActivationConfig", new Arg.Constant(Activation.class, a.activation().name()));
    }

    /** Whether the activation's derivative needs its input, not only its output (the runtime's rule). */
    static boolean needsInput(Activation f) {
        return f == Activation.GELU || f == Activation.GELU_APPROXIMATE || f == Activation.SWISH
                || f == Activation.SILU;
    }

    static String lower(Activation f) {
        return f.name().toLowerCase(Locale.ROOT);
    }
}
