package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import dev.kiln.dsl.Activation;
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
import java.util.List;

/**
 * What Keras's recurrent layers ({@code SimpleRNN}, {@code GRU}, {@code LSTM}) share: their attributes, their input of
 * shape {@code (steps, features)}, their output ({@code (units)}, or {@code (steps, units)} with
 * {@code returnSequences}), their three weights in Keras's layouts and their runtime config. Each layer says how many
 * gate blocks it has, its bias's shape, and its kernel calls with their scratch buffers.
 */
abstract class RecurrentKind extends LayerKind<RecurrentKind.Attributes> {
    /** The attributes of all three; {@code recurrentActivation} is null and {@code unitForgetBias} false where absent. */
    public record Attributes(int units, Activation activation, Activation recurrentActivation, boolean useBias,
            Initializer kernelInitializer, Initializer recurrentInitializer, Initializer biasInitializer,
            boolean unitForgetBias, boolean returnSequences, boolean goBackwards, boolean trainable) {
    }

    /** How many blocks of {@code units} columns the kernels have: 1, 3 or 4. */
    abstract int gates();

    /** The bias's shape in Keras's layout. */
    Shape biasShape(Attributes a) {
        return Shape.of((long) gates() * a.units());
    }

    @Override
    public Example example() {
        return Example.of("@" + annotation() + "(units = 3, returnSequences = true, goBackwards = true)",
                new long[] {4, 5});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return a.returnSequences() ? MaskUse.CONSUMES_AND_PASSES : MaskUse.CONSUMES;
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        boolean gated = d.attributes().containsKey("recurrentActivation");
        return new Attributes(d.integer("units"), d.constant("activation", Activation.class),
                gated ? d.constant("recurrentActivation", Activation.class) : null, d.flag("useBias"),
                d.constant("kernelInitializer", Initializer.class), d.constant("recurrentInitializer", Initializer.class),
                d.constant("biasInitializer", Initializer.class),
                d.attributes().containsKey("unitForgetBias") && d.flag("unitForgetBias"), d.flag("returnSequences"),
                d.flag("goBackwards"), d.flag("trainable"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.units() <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation(), "units"), annotation() + " '"
                    + node.name() + "' has units = " + a.units() + ", but a recurrent layer needs at least one unit."
                    + " Use e.g. @" + annotation() + "(units = 32).");
        }
        elementWise(node, "activation", a.activation(), report);
        if (a.recurrentActivation() != null) {
            elementWise(node, "recurrentActivation", a.recurrentActivation(), report);
        }
    }

    private void elementWise(NodeDecl node, String attribute, Activation f, Report report) {
        if (f == Activation.SOFTMAX || f == Activation.GELU || f == Activation.GELU_APPROXIMATE
                || f == Activation.SWISH || f == Activation.SILU) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation(), attribute), annotation() + " '"
                    + node.name() + "' has " + attribute + " = " + f + ", but Kiln's recurrent layers take activations"
                    + " whose derivative follows from their output: TANH, SIGMOID, HARD_SIGMOID, RELU, ELU, SELU,"
                    + " SOFTSIGN, SOFTPLUS, LEAKY_RELU or LINEAR.");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        String input = node.parameters().get(0);
        if (in.rank() != 2) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), input), annotation() + " '" + node.name()
                    + "' reads a sequence of shape (steps, features), but '" + input + "' has shape " + in + ".",
                    "Give it one vector per step, e.g. @Input(shape = {Input.NONE, 16}), or an Embedding of ids.");
            return null;
        }
        if (in.isOpen(1)) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), input), annotation() + " '" + node.name()
                    + "' needs a fixed number of features per step, but '" + input + "' has shape " + in + ".",
                    "Fix the last axis, e.g. @Input(shape = {Input.NONE, 16}).");
            return null;
        }
        return a.returnSequences() ? Shape.of(in.dim(0), a.units()) : Shape.of(a.units());
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        long width = (long) gates() * a.units();
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("kernel", Shape.of(inputs.get(0).last(), width), a.kernelInitializer(), a.trainable()));
        vars.add(new Variable("recurrent_kernel", Shape.of(a.units(), width), a.recurrentInitializer(),
                a.trainable()));
        if (a.useBias()) {
            vars.add(new Variable("bias", biasShape(a), a.biasInitializer(), a.trainable()));
        }
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        Shape in = inputs.get(0);
        long steps = in.isOpen(0) ? 1 : in.dim(0); // per step when the length is open
        return steps * (in.last() + a.units()) * gates() * a.units();
    }

    /** The runtime kernel class. */
    Kernel kernel() {
        return Kernel.of(annotation() + "Kernel");
    }

    /** A per-step scratch buffer of one sample's shape {@code (steps, width)}, the steps those of the input. */
    static String sequenceBuffer(Lowerer c, Node node, String what, long width) {
        return c.buffer(node.name() + what, Shape.of(c.shape(node.inputs().get(0)).dim(0), width));
    }

    /** The mask on the layer's input (the steps to skip), or null. */
    static Arg mask(Node node, Lowerer c) {
        String mask = c.mask(node.inputs().get(0));
        return mask == null ? new Arg.Literal("null") : ref(mask);
    }

    /** The weights as arguments: kernel, recurrent kernel, and the bias or null. */
    static List<Arg> weights(Node node, Lowerer c) {
        WeightFields bias = c.weight(node, "bias");
        return List.of(ref(c.weight(node, "kernel").field()), ref(c.weight(node, "recurrent_kernel").field()),
                bias == null ? new Arg.Literal("null") : ref(bias.field()));
    }

    /**
     * The weights' gradient fields (the bias's or null) and whether they add to a gradient already written (a shared
     * layer's later application); nulls when the layer is frozen.
     */
    static List<Arg> weightGradients(Node node, Lowerer c) {
        WeightFields kernel = c.weight(node, "kernel");
        if (kernel.gradientField() == null) {
            Arg none = new Arg.Literal("null");
            return List.of(none, none, none, bool(false));
        }
        WeightFields recurrent = c.weight(node, "recurrent_kernel");
        WeightFields bias = c.weight(node, "bias");
        boolean accumulate = c.accumulateWeight(kernel);
        c.accumulateWeight(recurrent);
        if (bias != null) {
            c.accumulateWeight(bias);
        }
        return List.of(ref(kernel.gradientField()), ref(recurrent.gradientField()),
                bias == null ? new Arg.Literal("null") : ref(bias.gradientField()), bool(accumulate));
    }

    /** Whether the layer's weights are trained, so that its backward pass has their gradients to write. */
    static boolean trained(Node node, Lowerer c) {
        return c.weight(node, "kernel").gradientField() != null;
    }

    /**
     * What every recurrent backward call takes besides its own scratch: the weights, their gradients with the flag
     * to add to them, and the input's gradient with its scratch (nulls when the input needs none) and its flag.
     */
    record Backward(Arg mask, Arg kernel, Arg recurrentKernel, List<Arg> weightGradients, Arg dxs, Arg dx,
            boolean accumulateInput) {
    }

    @Override
    protected final void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        boolean inputGradient = c.needsGradient(input);
        if (!trained(node, c) && !inputGradient) {
            return;
        }
        List<Arg> weights = weights(node, c);
        List<Arg> grads = weightGradients(node, c);
        Arg none = new Arg.Literal("null");
        Arg dxs = inputGradient ? ref(sequenceBuffer(c, node, "XsGrad", c.shape(input).last())) : none;
        Arg dx = inputGradient ? ref(c.gradient(input)) : none;
        backward(node, a, c, new Backward(mask(node, c), weights.get(0), weights.get(1), grads, dxs, dx,
                inputGradient && c.accumulate(input)));
    }

    /** The layer's backward call, from what {@link Backward} holds and its own scratch buffers. */
    abstract void backward(Node node, Attributes a, Lowerer c, Backward b);

    static Arg activation(Activation f) {
        return new Arg.Constant(Activation.class, f.name());
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        RuntimeConfig config = RuntimeConfig.of(annotation() + "Config", Arg.integer(a.units()))
                .setting(d, "activation", activation(a.activation()));
        if (a.recurrentActivation() != null) {
            config = config.setting(d, "recurrentActivation", activation(a.recurrentActivation()));
        }
        config = config.setting(d, "useBias", bool(a.useBias()))
                .setting(d, "kernelInitializer", new Arg.Constant(Initializer.class, a.kernelInitializer().name()))
                .setting(d, "recurrentInitializer",
                        new Arg.Constant(Initializer.class, a.recurrentInitializer().name()))
                .setting(d, "biasInitializer", new Arg.Constant(Initializer.class, a.biasInitializer().name()))
                .setting(d, "unitForgetBias", bool(a.unitForgetBias()));
        return config.setting(d, "returnSequences", bool(a.returnSequences()))
                .setting(d, "goBackwards", bool(a.goBackwards())).setting(d, "trainable", bool(a.trainable()));
    }
}
