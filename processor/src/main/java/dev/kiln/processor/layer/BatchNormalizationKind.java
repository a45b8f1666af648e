package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.real;
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
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.layer.Call.When;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @BatchNormalization}: Keras's layer over the last axis. A trainable one has a training branch (batch
 * statistics; the moving statistics updated) and an inference branch (moving statistics), each with its backward
 * pass; a frozen one always takes the inference branch, as in Keras 3. The normalized input and each channel's inverse
 * standard deviation are kept in planned buffers for backward.
 */
@AutoService(LayerKind.class)
public final class BatchNormalizationKind extends LayerKind<BatchNormalizationKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("BatchNormKernel");

    public record Attributes(double momentum, double epsilon, boolean center, boolean scale, boolean trainable) {
    }

    @Override
    public String annotation() {
        return "BatchNormalization";
    }

    @Override
    public Example example() {
        return Example.of("@BatchNormalization(momentum = 0.9)", new long[] {4, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("momentum"), d.real("epsilon"), d.flag("center"), d.flag("scale"),
                d.flag("trainable"));
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.NONE;
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (!(a.momentum() >= 0 && a.momentum() <= 1)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "BatchNormalization", "momentum"),
                    "BatchNormalization '" + node.name() + "' has momentum = " + a.momentum() + ", but the moving"
                            + " statistics keep that fraction of themselves each step: it lies in [0, 1]. Keras's"
                            + " default is 0.99.");
        }
        if (!(a.epsilon() > 0)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "BatchNormalization", "epsilon"),
                    "BatchNormalization '" + node.name() + "' has epsilon = " + a.epsilon() + ", but epsilon keeps"
                            + " the division by the standard deviation finite and must be > 0. Keras's default is"
                            + " 1e-3.");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (in.isOpen(-1)) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)),
                    "BatchNormalization '" + node.name() + "' normalizes each channel of the last axis, but '"
                            + node.parameters().get(0) + "' of shape " + in + " leaves that axis open.",
                    "Give the input a fixed last axis, e.g. @Input(shape = {Input.NONE, 16}).");
            return null;
        }
        return in;
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        Shape channels = Shape.of(inputs.get(0).last());
        List<Variable> vars = new ArrayList<>();
        if (a.scale()) {
            vars.add(new Variable("gamma", channels, Initializer.ONES, a.trainable()));
        }
        if (a.center()) {
            vars.add(new Variable("beta", channels, Initializer.ZEROS, a.trainable()));
        }
        vars.add(new Variable("moving_mean", channels, Initializer.ZEROS, false));
        vars.add(new Variable("moving_variance", channels, Initializer.ONES, false));
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return 2 * output.elements();
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return Activation.LINEAR;
    }

    private static Arg field(WeightFields w) {
        return w == null ? new Arg.Literal("null") : ref(w.field());
    }

    private static Arg gradient(WeightFields w) {
        return w == null || w.gradientField() == null ? new Arg.Literal("null") : ref(w.gradientField());
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        String xhat = c.buffer(node.name() + "Normalized", node.shape());
        String stats = c.buffer(node.name() + "InvStd", Shape.of(node.shape().last()));
        c.setValue(node.name() + "/xhat", xhat);
        c.setValue(node.name() + "/stats", stats);
        Arg gamma = field(c.weight(node, "gamma"));
        Arg beta = field(c.weight(node, "beta"));
        Arg mean = ref(c.weight(node, "moving_mean").field());
        Arg variance = ref(c.weight(node, "moving_variance").field());
        if (a.trainable()) {
            c.call(When.TRAINING, KERNEL, "train", "batch statistics; the moving ones move towards them", ref(x),
                    gamma, beta, mean, variance, ref(y), ref(xhat), ref(stats), real(a.momentum()),
                    real(a.epsilon()));
        }
        c.call(a.trainable() ? When.INFERENCE : When.ALWAYS, KERNEL, "infer", "the moving statistics", ref(x), gamma,
                beta, mean, variance, ref(y), ref(xhat), ref(stats), real(a.epsilon()));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        boolean inputGradient = c.needsGradient(input);
        WeightFields gammaW = c.weight(node, "gamma");
        WeightFields betaW = c.weight(node, "beta");
        Arg dGamma = gradient(gammaW);
        Arg dBeta = gradient(betaW);
        boolean accumulateWeights = false;
        for (WeightFields w : new WeightFields[] {gammaW, betaW}) {
            if (w != null && w.gradientField() != null) {
                accumulateWeights = c.accumulateWeight(w);
            }
        }
        Arg dx = inputGradient ? ref(c.gradient(input)) : new Arg.Literal("null");
        boolean accumulate = inputGradient && c.accumulate(input);
        Arg[] args = {ref(c.value(node.name() + "/xhat")), field(gammaW), ref(c.value(node.name() + "/stats")),
            ref(c.gradient(node.name())), dx, bool(accumulate), dGamma, dBeta, bool(accumulateWeights)};
        if (a.trainable()) {
            c.call(When.TRAINING, KERNEL, "backwardTraining", "through the batch statistics", args);
        }
        c.call(a.trainable() ? When.INFERENCE : When.ALWAYS, KERNEL, "backwardInference",
                "through the moving statistics: an affine map", args);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("BatchNormalizationConfig").setting(d, "momentum", real(a.momentum()))
                .setting(d, "epsilon", real(a.epsilon())).setting(d, "center", bool(a.center()))
                .setting(d, "scale", bool(a.scale())).setting(d, "trainable", bool(a.trainable()));
    }
}
