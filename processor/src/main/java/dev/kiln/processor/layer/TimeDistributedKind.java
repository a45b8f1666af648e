package dev.kiln.processor.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.ModelReader;
import dev.kiln.processor.read.NodeDecl;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code @TimeDistributed}: Keras's wrapper, written beside the layer it applies to every step (the reader folds the two
 * annotations into the wrapper's declaration). Kiln wraps {@code @Dense}, whose kernels already treat every axis but
 * the last as rows: the wrapped lowering runs once over {@code (batch * steps)} rows with one set of weights, so
 * TimeDistributed adds the per-step shape rules and the Keras name, and no kernel of its own. A layer whose kernels read
 * the batch from the first axis (Conv1D) would need buffers of {@code batch * steps} samples, which the planner does not
 * size; it is refused with that reason.
 */
@AutoService(LayerKind.class)
public final class TimeDistributedKind extends LayerKind<TimeDistributedKind.Attributes> {
    /** The layers whose lowering already acts on the last axis of inputs of any rank. */
    private static final Set<String> ROW_WISE = Set.of("Dense");

    /** The wrapped annotation (null when there is none) and, when Kiln wraps it, its layer. */
    public record Attributes(LayerDecl wrapped, Layer<?> layer) {
    }

    @Override
    public String annotation() {
        return "TimeDistributed";
    }

    @Override
    public Example example() {
        return Example.of("@TimeDistributed @Dense(units = 3, activation = Activation.TANH)", new long[] {4, 5});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        if (!(d.attributes().get(ModelReader.WRAPPED) instanceof LayerDecl wrapped)) {
            return new Attributes(null, null);
        }
        LayerKind<?> kind = LayerKinds.of(wrapped.annotation());
        return new Attributes(wrapped, kind != null && ROW_WISE.contains(wrapped.annotation()) ? kind.bind(wrapped)
                : null);
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.wrapped() == null) {
            report.add(Rule.LAYER_ANNOTATION, Site.annotation(node.name(), annotation()), "TimeDistributed '"
                    + node.name() + "' applies the layer annotated beside it to every step, but '" + node.name()
                    + "' has none. Add one, e.g. @TimeDistributed @Dense(units = 8).");
        } else if (a.layer() == null) {
            report.add(Rule.LAYER_ANNOTATION, Site.annotation(node.name(), a.wrapped().annotation()), "TimeDistributed '"
                    + node.name() + "' wraps @Dense only, but '" + node.name() + "' has @" + a.wrapped().annotation()
                    + ": Kiln cannot yet run a layer whose kernels read the batch from the first axis once per step.");
        } else {
            a.layer().validate(node, report);
        }
    }

    /** One step's shape: the input without its first axis. */
    private static Shape step(Shape in) {
        return Shape.of(Arrays.copyOfRange(in.dims(), 1, in.rank()));
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        if (a.layer() == null) {
            return null;
        }
        Shape in = inputs.get(0);
        String input = node.parameters().get(0);
        if (in.rank() < 2) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), input), "TimeDistributed '" + node.name()
                    + "' applies @" + a.wrapped().annotation() + " to every step of a sequence (steps, ...), but '"
                    + input + "' has shape " + in + ".", "Give it a sequence, e.g. the output of an LSTM with"
                            + " returnSequences = true.");
            return null;
        }
        Shape one = a.layer().outputShape(node, List.of(step(in)), report);
        if (one == null) {
            return null;
        }
        long[] dims = new long[one.rank() + 1];
        dims[0] = in.dim(0);
        System.arraycopy(one.dims(), 0, dims, 1, one.rank());
        return Shape.of(dims);
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        return a.layer().variables(List.of(step(inputs.get(0))));
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        Shape in = inputs.get(0);
        long steps = in.isOpen(0) ? 1 : in.dim(0); // per step when the length is open
        return steps * a.layer().forwardMacs(List.of(step(in)), step(output));
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.layer().outputActivation(step(output));
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        a.layer().forward(node, c);
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        a.layer().backward(node, c);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("TimeDistributedConfig", new Arg.Literal(BidirectionalKind.code(a.layer().config())));
    }
}
