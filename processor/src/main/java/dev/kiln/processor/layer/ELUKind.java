package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.real;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @ELU(alpha = 1.0)}: Keras's {@code ELU} layer; its backward pass reads the input's sign and the output. */
@AutoService(LayerKind.class)
public final class ELUKind extends LayerKind<ELUKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("ELUKernel");

    public record Attributes(double alpha) {
    }

    @Override
    public String annotation() {
        return "ELU";
    }

    @Override
    public Example example() {
        return Example.of("@ELU(alpha = 0.7)", new long[] {4, 6});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("alpha"));
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        return inputs.get(0);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        c.call(KERNEL, "forward", y + " = elu(" + x + ")", ref(x), ref(y), real(a.alpha()));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        Stateless.eachInput(node, c, (i, dx, acc, what) -> c.call(KERNEL, "backward", what + c.gradient(node.name())
                + " * elu'(x)", ref(c.value(node.inputs().get(0))), ref(c.value(node.name())),
                ref(c.gradient(node.name())), ref(dx), real(a.alpha()), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("ELUConfig").withArgumentIf(d.explicit().contains("alpha"), real(a.alpha()));
    }
}
