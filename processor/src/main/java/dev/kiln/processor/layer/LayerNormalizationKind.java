package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.real;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Initializer;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code @LayerNormalization}: Keras's layer over the last axis, one pass each way; the normalized input and each
 * row's inverse standard deviation are kept in planned buffers for backward.
 */
@AutoService(LayerKind.class)
public final class LayerNormalizationKind extends LayerKind<LayerNormalizationKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("LayerNormKernel");

    public record Attributes(double epsilon, boolean center, boolean scale) {
    }

    @Override
    public String annotation() {
        return "LayerNormalization";
    }

    @Override
    public Example example() {
        return Example.of("@LayerNormalization", new long[] {4, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("epsilon"), d.flag("center"), d.flag("scale"));
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES; // each step on its own
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (!(a.epsilon() > 0)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "LayerNormalization", "epsilon"),
                    "LayerNormalization '" + node.name() + "' has epsilon = " + a.epsilon() + ", but epsilon keeps the"
                            + " division by the standard deviation finite and must be > 0. Keras's default is 1e-3.");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (in.isOpen(-1)) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)),
                    "LayerNormalization '" + node.name() + "' normalizes over the last axis, but '"
                            + node.parameters().get(0) + "' of shape " + in + " leaves that axis open.",
                    "Give the input a fixed last axis, e.g. @Input(shape = {Input.NONE, 16}).");
            return null;
        }
        return in;
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        Shape features = Shape.of(inputs.get(0).last());
        List<Variable> vars = new ArrayList<>();
        if (a.scale()) {
            vars.add(new Variable("gamma", features, Initializer.ONES, true));
        }
        if (a.center()) {
            vars.add(new Variable("beta", features, Initializer.ZEROS, true));
        }
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return 2 * output.elements();
    }

    private static Arg field(WeightFields w) {
        return w == null ? new Arg.Literal("null") : ref(w.field());
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        String xhat = c.buffer(node.name() + "Normalized", node.shape());
        long[] dims = node.shape().dims();
        long[] rows = dims.length == 1 ? new long[] {1} : Arrays.copyOf(dims, dims.length - 1);
        String stats = c.buffer(node.name() + "InvStd", Shape.of(rows));
        c.setValue(node.name() + "/xhat", xhat);
        c.setValue(node.name() + "/stats", stats);
        c.call(KERNEL, "forward", y + " = gamma * (" + x + " - mean) / std + beta, row by row", ref(x),
                field(c.weight(node, "gamma")), field(c.weight(node, "beta")), ref(y), ref(xhat), ref(stats),
                real(a.epsilon()));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        boolean inputGradient = c.needsGradient(input);
        WeightFields gamma = c.weight(node, "gamma");
        WeightFields beta = c.weight(node, "beta");
        boolean accumulateWeights = false;
        for (WeightFields w : new WeightFields[] {gamma, beta}) {
            if (w != null && w.gradientField() != null) {
                accumulateWeights = c.accumulateWeight(w);
            }
        }
        Arg none = new Arg.Literal("null");
        Arg dx = inputGradient ? ref(c.gradient(input)) : none;
        boolean accumulate = inputGradient && c.accumulate(input);
        c.call(KERNEL, "backward", "through the row statistics", ref(c.value(node.name() + "/xhat")), field(gamma),
                ref(c.value(node.name() + "/stats")), ref(c.gradient(node.name())), dx, bool(accumulate),
                gamma == null || gamma.gradientField() == null ? none : ref(gamma.gradientField()),
                beta == null || beta.gradientField() == null ? none : ref(beta.gradientField()),
                bool(accumulateWeights));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("LayerNormalizationConfig").setting(d, "epsilon", real(a.epsilon()))
                .setting(d, "center", bool(a.center())).setting(d, "scale", bool(a.scale()));
    }
}
