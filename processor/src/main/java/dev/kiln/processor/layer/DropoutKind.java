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
import dev.kiln.processor.layer.Call.When;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * {@code @Dropout(rate, seed)}: inverted dropout in training, identity at inference, Keras's {@code Dropout}. The mask
 * drawn in training is kept for backward. Its masks come from the model's generator, or, with a seed, from a generator
 * of the layer's own, so that the same seed gives the same masks whatever else the model draws.
 */
@AutoService(LayerKind.class)
public final class DropoutKind extends LayerKind<DropoutKind.Attributes> {
    public record Attributes(double rate, long seed) {
    }

    @Override
    public String annotation() {
        return "Dropout";
    }

    @Override
    public Example example() {
        return Example.of("@Dropout(rate = 0.25, seed = 7)", new long[] {4, 6});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("rate"), ((Number) d.attributes().get("seed")).longValue());
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (!(a.rate() >= 0 && a.rate() < 1)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Dropout", "rate"), "Dropout '" + node.name()
                    + "' has rate = " + a.rate() + ", but the rate is the fraction of inputs dropped and must lie in"
                    + " [0, 1). Use e.g. @Dropout(rate = 0.5).");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        return inputs.get(0);
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return null; // passes its input's values on
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        if (a.rate() == 0) {
            c.call(Call.KERNELS, "copy", "rate 0: identity", ref(x), ref(y), bool(false));
            return;
        }
        String mask = c.buffer(node.name() + "Mask", node.shape());
        c.setValue(node.name() + "/mask", mask);
        Arg random = a.seed() == 0 ? new Arg.Base("random") : new Arg.Literal("random(" + a.seed() + "L)");
        c.call(When.TRAINING, Call.KERNELS, "dropout", "keep with p = " + (1 - a.rate()) + ", scale by 1/(1 - rate)"
                + (a.seed() == 0 ? "" : ", masks from seed " + a.seed()), ref(x), ref(mask), ref(y),
                new Arg.Literal(Double.toString(a.rate())), random);
        c.call(When.INFERENCE, Call.KERNELS, "copy", "identity at inference", ref(x), ref(y), bool(false));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        if (!c.needsGradient(input)) {
            return;
        }
        String dy = c.gradient(node.name());
        String dx = c.gradient(input);
        boolean acc = c.accumulate(input);
        String mask = c.value(node.name() + "/mask");
        if (mask == null) {
            c.call(Call.KERNELS, "copy", "rate 0: identity", ref(dy), ref(dx), bool(acc));
            return;
        }
        c.call(When.TRAINING, Call.KERNELS, "multiply", dx + (acc ? " += " : " = ") + dy + " * mask", ref(dy),
                ref(mask), ref(dx), bool(acc));
        c.call(When.INFERENCE, Call.KERNELS, "copy", "identity at inference", ref(dy), ref(dx), bool(acc));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("DropoutConfig", Arg.real(a.rate())).setting(decl, "seed", Arg.integer(a.seed()));
    }
}
