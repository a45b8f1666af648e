package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.layer.Call.When;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * Keras's {@code SpatialDropout1D} and {@code SpatialDropout2D}: dropout of whole channels in training, one draw per
 * sample and channel kept in a planned mask for backward; identity at inference. One kind per annotation, each a line.
 */
public abstract class SpatialDropoutKind extends LayerKind<SpatialDropoutKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("SpatialDropoutKernel");

    public record Attributes(double rate, long seed) {
    }

    /** 1 or 2: the spatial axes of the input, which has one more for the channels. */
    abstract int rank();

    @Override
    public String annotation() {
        return "SpatialDropout" + rank() + "D";
    }

    @Override
    public Example example() {
        return Example.of("@" + annotation() + "(rate = 0.5, seed = 3)",
                rank() == 1 ? new long[] {4, 6} : new long[] {3, 4, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("rate"), ((Number) d.attributes().get("seed")).longValue());
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (!(a.rate() >= 0 && a.rate() < 1)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation(), "rate"), annotation() + " '"
                    + node.name() + "' has rate = " + a.rate() + ", but the rate is the fraction of channels dropped"
                    + " and must lie in [0, 1). Use e.g. @" + annotation() + "(rate = 0.2).");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (in.rank() != rank() + 1) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), annotation() + " '"
                    + node.name() + "' drops channels of inputs of rank " + (rank() + 1) + ", but '"
                    + node.parameters().get(0) + "' has shape " + in + ".", rank() == 1
                            ? "Give it (steps, channels), e.g. the output of a Conv1D."
                            : "Give it (h, w, channels), e.g. the output of a Conv2D.");
            return null;
        }
        return in;
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return null; // passes its input's values on
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        String mask = c.buffer(node.name() + "Mask", Shape.of(node.shape().last()));
        c.setValue(node.name() + "/mask", mask);
        Arg random = a.seed() == 0 ? new Arg.Base("random") : new Arg.Literal("random(" + a.seed() + "L)");
        c.call(When.TRAINING, KERNEL, "forward", "keep each channel with p = " + (1 - a.rate()) + ", scaled", ref(x),
                ref(mask), ref(y), Arg.real(a.rate()), random);
        c.call(When.INFERENCE, Call.KERNELS, "copy", "identity at inference", ref(x), ref(y), bool(false));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String mask = c.value(node.name() + "/mask");
        Stateless.eachInput(node, c, (i, dx, acc, what) -> {
            c.call(When.TRAINING, KERNEL, "backward", what + c.gradient(node.name()) + " * mask",
                    ref(c.gradient(node.name())), ref(mask), ref(dx), bool(acc));
            c.call(When.INFERENCE, Call.KERNELS, "copy", "identity at inference", ref(c.gradient(node.name())),
                    ref(dx), bool(acc));
        });
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("SpatialDropoutConfig", Arg.integer(rank()), Arg.real(a.rate()))
                .setting(d, "seed", Arg.integer(a.seed()));
    }

    @AutoService(LayerKind.class)
    public static final class SpatialDropout1D extends SpatialDropoutKind {
        @Override
        int rank() {
            return 1;
        }
    }

    @AutoService(LayerKind.class)
    public static final class SpatialDropout2D extends SpatialDropoutKind {
        @Override
        int rank() {
            return 2;
        }
    }
}
