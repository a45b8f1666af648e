package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.real;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @Masking(maskValue)}: Keras's {@code Masking}; one pass writes the output and the mask of the steps kept. */
@AutoService(LayerKind.class)
public final class MaskingKind extends LayerKind<MaskingKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("MaskingKernel");

    public record Attributes(double maskValue) {
    }

    @Override
    public String annotation() {
        return "Masking";
    }

    @Override
    public Example example() {
        return Example.of("@Masking(maskValue = 0.25)", new long[] {4, 6}).then("@GRU(units = 2)");
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("maskValue"));
    }

    @Override
    protected boolean producesMask(Attributes a) {
        return true;
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (in.rank() != 2) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), "Masking '"
                    + node.name() + "' masks the steps of a sequence of shape (steps, features), but '"
                    + node.parameters().get(0) + "' has shape " + in + ".",
                    "Give it one vector per step, e.g. @Input(shape = {Input.NONE, 16}).");
            return null;
        }
        return in;
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        String mask = c.mask(node.name());
        c.call(KERNEL, "forward", mask + " = steps not all " + a.maskValue() + "; " + y + " = " + x + " * " + mask,
                ref(x), ref(y), ref(mask), real(a.maskValue()));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        Stateless.eachInput(node, c, (i, dx, acc, what) -> c.call(KERNEL, "backward", what
                + c.gradient(node.name()) + " * mask", ref(c.mask(node.name())), ref(c.gradient(node.name())),
                ref(dx), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("MaskingConfig").withArgumentIf(d.explicit().contains("maskValue"),
                real(a.maskValue()));
    }
}
