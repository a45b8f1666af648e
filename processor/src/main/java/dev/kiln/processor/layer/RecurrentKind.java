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
import dev.kiln.processor.layer.Call.When;
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
            boolean unitForgetBias, boolean returnSequences, boolean goBackwards, boolean trainable, double dropout,
            double recurrentDropout, long seed, boolean returnState) {
        /** Whether training draws dropout masks. */
        boolean drops() {
            return dropout > 0 || recurrentDropout > 0;
        }
    }

    /** How many blocks of {@code units} columns the kernels have: 1, 3 or 4. */
    abstract int gates();

    /** The layer's states in Keras's order: {@code h}, and an LSTM's {@code c}. */
    abstract List<String> stateNames();

    @Override
    protected java.util.Map<String, Shape> states(Attributes a) {
        java.util.Map<String, Shape> out = new java.util.LinkedHashMap<>();
        stateNames().forEach(s -> out.put(s, Shape.of(a.units())));
        return out;
    }

    /** With {@code returnState}, the final states. */
    @Override
    protected java.util.Map<String, Shape> parts(Attributes a, List<Shape> inputs) {
        return a.returnState() ? states(a) : java.util.Map.of();
    }

    @Override
    protected String partsSetting(Attributes a) {
        return "returnState = true";
    }

    /** The sequence, then one initial state per state. */
    @Override
    protected int maxInputs(Attributes a) {
        return 1 + stateNames().size();
    }

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
                d.flag("goBackwards"), d.flag("trainable"), d.real("dropout"), d.real("recurrentDropout"),
                ((Number) d.attributes().get("seed")).longValue(),
                d.attributes().containsKey("returnState") && d.flag("returnState"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.units() <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation(), "units"), annotation() + " '"
                    + node.name() + "' has units = " + a.units() + ", but a recurrent layer needs at least one unit."
                    + " Use e.g. @" + annotation() + "(units = 32).");
        }
        rate(node, "dropout", a.dropout(), "input's features", report);
        rate(node, "recurrentDropout", a.recurrentDropout(), "previous state's units", report);
        elementWise(node, "activation", a.activation(), report);
        if (a.recurrentActivation() != null) {
            elementWise(node, "recurrentActivation", a.recurrentActivation(), report);
        }
    }

    private void rate(NodeDecl node, String attribute, double rate, String what, Report report) {
        if (!(rate >= 0 && rate < 1)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation(), attribute), annotation() + " '"
                    + node.name() + "' has " + attribute + " = " + rate + ", but it is the fraction of the " + what
                    + " dropped in training and must lie in [0, 1). Use e.g. @" + annotation() + "(units = 32, "
                    + attribute + " = 0.2).");
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
     * to add to them, the input's gradient with its scratch (nulls when the input needs none) and its flag, the output's
     * gradient (null when only the layer's parts are consumed), and the states' arguments, empty when the layer has no
     * initial and no final states in use ({@link #backwardStates}).
     */
    record Backward(Arg mask, Arg kernel, Arg recurrentKernel, List<Arg> weightGradients, Arg dxs, Arg dx,
            boolean accumulateInput, Arg dy, List<Arg> states) {
    }

    @Override
    protected final void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        boolean inputGradient = c.needsGradient(input);
        List<String> initial = node.inputs().subList(1, node.inputs().size());
        boolean stateGradient = initial.stream().anyMatch(c::needsGradient);
        if (!trained(node, c) && !inputGradient && !stateGradient) {
            return;
        }
        List<Arg> weights = weights(node, c);
        List<Arg> grads = weightGradients(node, c);
        Arg none = new Arg.Literal("null");
        Arg dxs = inputGradient ? ref(sequenceBuffer(c, node, "XsGrad", c.shape(input).last())) : none;
        Arg dx = inputGradient ? ref(c.gradient(input)) : none;
        boolean accumulateInput = inputGradient && c.accumulate(input);
        Arg dy = c.receivesGradient(node.name()) ? ref(c.gradient(node.name())) : none;
        backward(node, a, c, new Backward(mask(node, c), weights.get(0), weights.get(1), grads, dxs, dx,
                accumulateInput, dy, stateful(node, a, c) ? backwardStates(node, a, c) : List.of()));
    }

    /** The layer's backward call, from what {@link Backward} holds and its own scratch buffers. */
    abstract void backward(Node node, Attributes a, Lowerer c, Backward b);

    /**
     * Whether the layer runs with states of its own: initial states fed by {@code @InitialState} parameters, or final
     * states that a {@code @Part} node selects. Its kernel calls then take the states' arguments.
     */
    boolean stateful(Node node, Attributes a, Lowerer c) {
        return node.inputs().size() > 1
                || a.returnState() && stateNames().stream().anyMatch(s -> c.partValue(node, s) != null);
    }

    /**
     * The forward pass's states' arguments: the initial states' values (null where none is fed: zeros), then the
     * final states' fields to write (null where no part node selects one), each in the layer's order of states.
     */
    List<Arg> forwardStates(Node node, Attributes a, Lowerer c) {
        Arg none = new Arg.Literal("null");
        List<Arg> out = new ArrayList<>();
        for (int i = 0; i < stateNames().size(); i++) {
            out.add(node.inputs().size() > 1 ? ref(c.value(node.inputs().get(1 + i))) : none);
        }
        for (String s : stateNames()) {
            String part = a.returnState() ? c.partValue(node, s) : null;
            out.add(part == null ? none : ref(part));
        }
        return out;
    }

    /**
     * The backward pass's states' arguments: the initial states' values, the final states' gradients (null where none
     * reaches them), the initial states' gradients to write (null where their nodes need none), then for each of those
     * whether it adds to what is there.
     */
    private List<Arg> backwardStates(Node node, Attributes a, Lowerer c) {
        Arg none = new Arg.Literal("null");
        List<Arg> values = new ArrayList<>();
        List<Arg> finals = new ArrayList<>();
        List<Arg> grads = new ArrayList<>();
        List<Arg> flags = new ArrayList<>();
        for (int i = 0; i < stateNames().size(); i++) {
            String state = node.inputs().size() > 1 ? node.inputs().get(1 + i) : null;
            boolean needed = state != null && c.needsGradient(state);
            values.add(state == null ? none : ref(c.value(state)));
            String part = a.returnState() ? c.partGradient(node, stateNames().get(i)) : null;
            finals.add(part == null ? none : ref(part));
            grads.add(needed ? ref(c.gradient(state)) : none);
            flags.add(bool(needed && c.accumulate(state)));
        }
        List<Arg> out = new ArrayList<>(values);
        out.addAll(finals);
        out.addAll(grads);
        out.addAll(flags);
        return out;
    }

    /**
     * How many input masks a sample draws: none without {@code dropout}; with it, one per gate block when
     * {@code recurrentDropout > 0} (Keras's {@code implementation = 1}, {@code dropout_mask_count}), else one.
     */
    int inputMasks(Attributes a) {
        return a.dropout() == 0 ? 0 : a.recurrentDropout() > 0 ? gates() : 1;
    }

    /** How many recurrent masks a sample draws: one per gate block with {@code recurrentDropout}, else none. */
    int recurrentMasks(Attributes a) {
        return a.recurrentDropout() == 0 ? 0 : gates();
    }

    /** Whether dropping needs the per-block scratch: per-block masks on a layer of several gate blocks. */
    private boolean blockScratch(Attributes a) {
        return gates() > 1 && (inputMasks(a) > 1 || recurrentMasks(a) > 1);
    }

    /**
     * The forward call {@code method(base...)}: without dropout, one call; with it, the training call with the masks,
     * the scratch they need, the rates and the generator (the layer's own with a seed), and the inference call
     * without.
     */
    void forwardCall(Node node, Attributes a, Lowerer c, String comment, Arg... plain) {
        Arg[] base = stateful(node, a, c) ? Stateless.with(List.of(plain), forwardStates(node, a, c)) : plain;
        if (stateful(node, a, c)) {
            comment += "; " + describeStates(node, a, c);
        }
        if (!a.drops()) {
            c.call(kernel(), "forward", comment, base);
            return;
        }
        long in = c.shape(node.inputs().get(0)).last();
        Arg none = new Arg.Literal("null");
        Arg inputMasks = none;
        Arg recurrentMasks = none;
        if (inputMasks(a) > 0) {
            String m = c.buffer(node.name() + "InputMasks", Shape.of(inputMasks(a), in));
            c.setValue(node.name() + "/inputMasks", m);
            inputMasks = ref(m);
        }
        if (recurrentMasks(a) > 0) {
            String m = c.buffer(node.name() + "RecurrentMasks", Shape.of(recurrentMasks(a), a.units()));
            c.setValue(node.name() + "/recurrentMasks", m);
            recurrentMasks = ref(m);
        }
        List<Arg> args = new ArrayList<>(List.of(base));
        args.add(inputMasks);
        args.add(recurrentMasks);
        args.addAll(scratch(node, a, c, "Drop"));
        args.add(Arg.real(a.dropout()));
        args.add(Arg.real(a.recurrentDropout()));
        args.add(a.seed() == 0 ? new Arg.Base("random") : new Arg.Literal("random(" + a.seed() + "L)"));
        c.call(When.TRAINING, kernel(), "forward", comment + "; dropout " + a.dropout() + ", recurrent dropout "
                + a.recurrentDropout() + (a.seed() == 0 ? "" : ", masks from seed " + a.seed()),
                args.toArray(Arg[]::new));
        c.call(When.INFERENCE, kernel(), "forward", "no dropout at inference", base);
    }

    /**
     * The scratch the dropout masks need: for a gated layer the dropped input {@code (steps, in)} and one projection
     * {@code (steps, gates * units)} (null unless masks are per block), then the dropped state {@code (units)}.
     */
    private List<Arg> scratch(Node node, Attributes a, Lowerer c, String prefix) {
        Arg none = new Arg.Literal("null");
        List<Arg> out = new ArrayList<>();
        if (gates() > 1) {
            boolean blocks = blockScratch(a);
            out.add(blocks && inputMasks(a) > 1
                    ? ref(sequenceBuffer(c, node, prefix + "Xs", c.shape(node.inputs().get(0)).last())) : none);
            out.add(blocks ? ref(sequenceBuffer(c, node, prefix + "Z", (long) gates() * a.units())) : none);
        }
        out.add(recurrentMasks(a) > 0 ? ref(c.buffer(node.name() + prefix + "H", Shape.of(a.units()))) : none);
        return out;
    }

    /** What the states of a stateful call are: where the initial ones come from, which final ones are kept. */
    private String describeStates(Node node, Attributes a, Lowerer c) {
        List<String> parts = new ArrayList<>();
        if (node.inputs().size() > 1) {
            parts.add("initial " + String.join(", ", stateNames()) + " from "
                    + String.join(", ", node.inputs().subList(1, node.inputs().size())));
        }
        List<String> kept = stateNames().stream().filter(s -> a.returnState() && c.partValue(node, s) != null)
                .toList();
        if (!kept.isEmpty()) {
            parts.add("final " + String.join(", ", kept) + " kept");
        }
        return String.join("; ", parts);
    }

    /**
     * The backward call: as {@link #forwardCall}, the masks of the training pass and scratch of its own; {@code base}
     * holds no states' arguments: the call adds {@code b}'s.
     */
    void backwardCall(Node node, Attributes a, Lowerer c, Backward b, String comment, Arg... plain) {
        Arg[] base = b.states().isEmpty() ? plain : Stateless.with(List.of(plain), b.states());
        if (!a.drops()) {
            c.call(kernel(), "backward", comment, base);
            return;
        }
        Arg none = new Arg.Literal("null");
        String inputMasks = c.value(node.name() + "/inputMasks");
        String recurrentMasks = c.value(node.name() + "/recurrentMasks");
        List<Arg> args = new ArrayList<>(List.of(base));
        args.add(inputMasks(a) > 0 ? ref(inputMasks) : none);
        args.add(recurrentMasks(a) > 0 ? ref(recurrentMasks) : none);
        args.addAll(scratch(node, a, c, "DropGrad"));
        args.add(recurrentMasks(a) > 0 ? ref(c.buffer(node.name() + "DropDh", Shape.of(a.units()))) : none);
        c.call(When.TRAINING, kernel(), "backward", comment + " through the training pass's dropout masks",
                args.toArray(Arg[]::new));
        c.call(When.INFERENCE, kernel(), "backward", comment, base);
    }

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
                .setting(d, "goBackwards", bool(a.goBackwards())).setting(d, "trainable", bool(a.trainable()))
                .setting(d, "dropout", Arg.real(a.dropout()))
                .setting(d, "recurrentDropout", Arg.real(a.recurrentDropout()))
                .setting(d, "seed", Arg.integer(a.seed())).setting(d, "returnState", bool(a.returnState()));
    }
}
