package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.MergeMode;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.layer.Call.When;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.ModelReader;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code @Bidirectional}: Keras's wrapper, written beside the recurrent layer it wraps on one node (the reader folds the
 * two annotations into the wrapper's declaration). Its two copies are the wrapped kind's own lowering run twice through
 * a {@link Direction}, which renames their weights ({@code forward_lstm/kernel}, {@code backward_lstm/kernel}), their
 * scratch and their output and gradient buffers; the backward copy has {@code goBackwards} flipped. A merge kernel joins
 * the outputs, and splits the gradient before both copies' backward passes, which add into the input's gradient.
 *
 * <p>States as Keras's wrapper has them: the forward copy's, then the backward copy's, named {@code forwardH},
 * {@code forwardC}, {@code backwardH}, {@code backwardC}: the parts {@code returnState} gives, and the order in which
 * {@code @InitialState} parameters feed them; each copy sees its own half under its own names ({@code h}, {@code c}).
 */
@AutoService(LayerKind.class)
public final class BidirectionalKind extends LayerKind<BidirectionalKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("BidirectionalKernel");

    /**
     * The merge mode, the wrapped annotation (null when the node has none) and, when it is a recurrent layer, its
     * forward and backward copies.
     */
    public record Attributes(MergeMode mergeMode, LayerDecl wrapped, Layer<RecurrentKind.Attributes> forward,
            Layer<RecurrentKind.Attributes> backward) {
    }

    @Override
    public String annotation() {
        return "Bidirectional";
    }

    @Override
    public Example example() {
        return Example.of("@Bidirectional(mergeMode = MergeMode.MUL) @GRU(units = 3, returnSequences = true)",
                new long[] {4, 5});
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Attributes decode(LayerDecl d) {
        MergeMode mode = d.constant("mergeMode", MergeMode.class);
        if (!(d.attributes().get(ModelReader.WRAPPED) instanceof LayerDecl wrapped)) {
            return new Attributes(mode, null, null, null);
        }
        if (!(LayerKinds.of(wrapped.annotation()) instanceof RecurrentKind kind)) {
            return new Attributes(mode, wrapped, null, null);
        }
        java.util.Map<String, Object> flipped = new java.util.LinkedHashMap<>(wrapped.attributes());
        flipped.put("goBackwards", !wrapped.flag("goBackwards"));
        LayerDecl backward = new LayerDecl(wrapped.annotation(), flipped, wrapped.explicit());
        return new Attributes(mode, wrapped, kind.bind(wrapped), kind.bind(backward));
    }

    /** The wrapped layer's states, the forward copy's then the backward copy's: {@code forwardH}, ... */
    @Override
    protected java.util.Map<String, Shape> states(Attributes a) {
        java.util.Map<String, Shape> out = new java.util.LinkedHashMap<>();
        if (valid(a)) {
            for (boolean forward : new boolean[] {true, false}) {
                a.forward().states().forEach((name, shape) -> out.put(state(forward, name), shape));
            }
        }
        return out;
    }

    /** A copy's state {@code h} as the wrapper names it: {@code forwardH}, {@code backwardH}. */
    private static String state(boolean forward, String name) {
        return (forward ? "forward" : "backward") + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** With the wrapped layer's {@code returnState}, both copies' final states. */
    @Override
    protected java.util.Map<String, Shape> parts(Attributes a, List<Shape> inputs) {
        return valid(a) && a.forward().attributes().returnState() ? states(a) : java.util.Map.of();
    }

    @Override
    protected String partsSetting(Attributes a) {
        return valid(a) ? a.forward().partsSetting() : null;
    }

    /** The sequence, then each copy's initial states. */
    @Override
    protected int maxInputs(Attributes a) {
        return 1 + states(a).size();
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return a.forward() == null ? MaskUse.CONSUMES : a.forward().maskUse();
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.wrapped() == null) {
            report.add(Rule.LAYER_ANNOTATION, Site.annotation(node.name(), annotation()), "Bidirectional '"
                    + node.name() + "' wraps the recurrent layer annotated beside it, but '" + node.name()
                    + "' has none. Add one, e.g. @Bidirectional @LSTM(units = 32).");
        } else if (a.forward() == null) {
            report.add(Rule.LAYER_ANNOTATION, Site.annotation(node.name(), a.wrapped().annotation()), "Bidirectional '"
                    + node.name() + "' wraps a recurrent layer (@LSTM, @GRU or @SimpleRNN), but '" + node.name()
                    + "' has @" + a.wrapped().annotation() + ".");
        } else {
            a.forward().validate(node, report);
        }
    }

    private static boolean valid(Attributes a) {
        return a.forward() != null;
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        if (!valid(a)) {
            return null;
        }
        Shape one = a.forward().outputShape(node, inputs.subList(0, 1), report);
        if (one == null || a.mergeMode() != MergeMode.CONCAT) {
            return one;
        }
        long[] dims = one.dims().clone();
        dims[dims.length - 1] *= 2;
        return Shape.of(dims);
    }

    /** Keras's name of a copy: {@code forward_lstm}, {@code backward_simple_rnn}. */
    private static String prefix(Attributes a, boolean forward) {
        String name = a.wrapped().annotation().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return (forward ? "forward_" : "backward_") + name;
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        List<Variable> out = new ArrayList<>();
        for (boolean forward : new boolean[] {true, false}) {
            for (Variable v : (forward ? a.forward() : a.backward()).variables(inputs)) {
                out.add(new Variable(prefix(a, forward) + "/" + v.suffix(), v.shape(), v.initializer(),
                        v.trainable()));
            }
        }
        return out;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return 2 * a.forward().forwardMacs(inputs, output);
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return Activation.LINEAR;
    }

    private static boolean sequences(Attributes a) {
        return a.forward().attributes().returnSequences();
    }

    private static Arg mode(Attributes a) {
        return new Arg.Constant(MergeMode.class, a.mergeMode().name());
    }

    private static Arg inputMask(Node node, Lowerer c) {
        String mask = c.mask(node.inputs().get(0));
        return mask == null ? new Arg.Literal("null") : ref(mask);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String[] ys = new String[2];
        for (int i = 0; i < 2; i++) {
            Direction d = direction(node, a, c, i == 0, false);
            ys[i] = d.output;
            d.layer.forward(d.node, d);
        }
        c.setValue(node.name() + "/forwardOutput", ys[0]);
        c.setValue(node.name() + "/backwardOutput", ys[1]);
        c.call(KERNEL, "merge", a.mergeMode().name().toLowerCase(Locale.ROOT) + " of the forward output and the"
                + (sequences(a) ? " flipped" : "") + " backward one", ref(ys[0]), ref(ys[1]), inputMask(node, c),
                ref(c.value(node.name())), mode(a), bool(sequences(a)));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        boolean split = c.receivesGradient(node.name()); // false when only the states are consumed
        Direction forward = direction(node, a, c, true, split);
        Direction backward = direction(node, a, c, false, split);
        if (split) {
            c.call(KERNEL, "split", "each copy's share of " + c.gradient(node.name()), ref(c.gradient(node.name())),
                    ref(c.value(node.name() + "/forwardOutput")), ref(c.value(node.name() + "/backwardOutput")),
                    inputMask(node, c), ref(forward.gradient), ref(backward.gradient), mode(a), bool(sequences(a)));
        }
        forward.layer.backward(forward.node, forward);
        backward.layer.backward(backward.node, backward);
    }

    /**
     * The lowering context of one copy: {@code node} renamed, fed the sequence and its half of the initial states,
     * with output and gradient buffers of its own ({@code gradient}: whether its output takes a share of one).
     */
    private Direction direction(Node node, Attributes a, Lowerer c, boolean forward, boolean gradientPass) {
        Layer<RecurrentKind.Attributes> layer = forward ? a.forward() : a.backward();
        int units = layer.attributes().units();
        Shape shape = sequences(a) ? Shape.of(c.shape(node.inputs().get(0)).dim(0), units) : Shape.of(units);
        String name = node.name() + (forward ? "Forward" : "Backward");
        int states = layer.states().size();
        List<String> inputs = new ArrayList<>(List.of(node.inputs().get(0)));
        if (node.inputs().size() > 1) {
            inputs.addAll(node.inputs().subList(forward ? 1 : 1 + states, forward ? 1 + states : 1 + 2 * states));
        }
        Node copy = new Node(name, layer, inputs, shape, null, node.weights());
        String output = c.value(name);
        if (output == null) {
            output = c.buffer(name, shape);
            c.setValue(name, output);
        }
        String gradient = c.value(name + "/gradient");
        if (gradient == null && gradientPass) {
            gradient = c.buffer(name + "Grad", shape);
            c.setValue(name + "/gradient", gradient);
        }
        return new Direction(c, node, copy, layer, prefix(a, forward), forward, output, gradientPass ? gradient : null);
    }

    /**
     * What one copy's lowering sees: the wrapper's context with its weights, output, gradient and states renamed. The
     * copy's gradient is null when the wrapper's output takes none (only its states are consumed).
     */
    private static final class Direction implements Lowerer {
        final Lowerer c;
        final Node wrapper;
        final Node node;
        final Layer<RecurrentKind.Attributes> layer;
        final String prefix;
        final boolean forward;
        final String output;
        final String gradient;

        Direction(Lowerer c, Node wrapper, Node node, Layer<RecurrentKind.Attributes> layer, String prefix,
                boolean forward, String output, String gradient) {
            this.c = c;
            this.wrapper = wrapper;
            this.node = node;
            this.layer = layer;
            this.prefix = prefix;
            this.forward = forward;
            this.output = output;
            this.gradient = gradient;
        }

        @Override
        public String value(String key) {
            return c.value(key);
        }

        @Override
        public void setValue(String key, String field) {
            c.setValue(key, field);
        }

        @Override
        public String mask(String n) {
            return c.mask(n);
        }

        @Override
        public Shape shape(String n) {
            return n.equals(node.name()) ? node.shape() : c.shape(n);
        }

        @Override
        public String buffer(String suggestion, Shape shape) {
            return c.buffer(suggestion, shape);
        }

        @Override
        public String gradient(String n) {
            return n.equals(node.name()) ? gradient : c.gradient(n);
        }

        /** The copy's final state {@code h} is the wrapper's part {@code forwardH} (or {@code backwardH}). */
        @Override
        public String partValue(Node n, String part) {
            return n.name().equals(node.name()) ? c.partValue(wrapper, state(forward, part)) : c.partValue(n, part);
        }

        @Override
        public String partGradient(Node n, String part) {
            return n.name().equals(node.name()) ? c.partGradient(wrapper, state(forward, part))
                    : c.partGradient(n, part);
        }

        /** A copy's gradient is its share of the wrapper's, which the split writes when the wrapper has one. */
        @Override
        public boolean receivesGradient(String n) {
            return n.equals(node.name()) ? gradient != null : c.receivesGradient(n);
        }

        @Override
        public boolean needsGradient(String n) {
            return n.equals(node.name()) ? gradient != null : c.needsGradient(n);
        }

        @Override
        public boolean fused(String n) {
            return !n.equals(node.name()) && c.fused(n);
        }

        @Override
        public boolean accumulate(String n) {
            return c.accumulate(n);
        }

        @Override
        public WeightFields weight(Node n, String suffix) {
            return c.weight(n, prefix + "/" + suffix);
        }

        @Override
        public boolean accumulateWeight(WeightFields w) {
            return c.accumulateWeight(w);
        }

        @Override
        public void call(When when, Kernel target, String method, String comment, Arg... args) {
            c.call(when, target, method, comment, args);
        }
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("BidirectionalConfig", new Arg.Literal(code(a.forward().config())))
                .setting(d, "mergeMode", mode(a));
    }

    /** The wrapped layer's config as a Java expression with qualified names, e.g. {@code new ...LSTMConfig(4)}. */
    static String code(RuntimeConfig config) {
        StringBuilder sb = new StringBuilder("new ").append(config.qualifiedName()).append('(');
        for (int i = 0; i < config.arguments().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(code(config.arguments().get(i)));
        }
        sb.append(')');
        for (RuntimeConfig.Setting s : config.settings()) {
            sb.append(".with").append(Character.toUpperCase(s.name().charAt(0))).append(s.name().substring(1))
                    .append('(').append(code(s.value())).append(')');
        }
        return sb.toString();
    }

    private static String code(Arg a) {
        if (a instanceof Arg.Literal l) {
            return l.code();
        } else if (a instanceof Arg.Constant k) {
            return k.type().getCanonicalName() + "." + k.name();
        }
        throw new IllegalStateException("a wrapped layer's config takes literals and constants, not " + a);
    }
}
