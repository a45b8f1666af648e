package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import java.util.List;

/**
 * {@code @GRU}: Keras 3's GRU ({@code reset_after=True}), one kernel call each way over planned time-major scratch:
 * the input in processing order, the gates {@code [z, r, hh]}, the recurrent projections and the states of every
 * step; for backward both projections' gradients and one step's {@code dh}.
 */
@AutoService(LayerKind.class)
public final class GRUKind extends RecurrentKind {
    @Override
    public String annotation() {
        return "GRU";
    }

    @Override
    int gates() {
        return 3;
    }

    @Override
    List<String> stateNames() {
        return List.of("h");
    }

    /** Keras's {@code (2, 3 units)}: the input projection's bias, then the recurrent projection's. */
    @Override
    Shape biasShape(Attributes a) {
        return Shape.of(2, 3L * a.units());
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        long in = c.shape(node.inputs().get(0)).last();
        String xs = sequenceBuffer(c, node, "Xs", in);
        String gates = sequenceBuffer(c, node, "Gates", 3L * a.units());
        String recurrent = sequenceBuffer(c, node, "Recurrent", 3L * a.units());
        String h = sequenceBuffer(c, node, "H", a.units());
        c.setValue(node.name() + "/xs", xs);
        c.setValue(node.name() + "/gates", gates);
        c.setValue(node.name() + "/recurrent", recurrent);
        c.setValue(node.name() + "/h", h);
        forwardCall(node, a, c, "every step: z, r, hh = act(x W + r * (h U + b')), h = z * h + (1 - z) * hh",
                Stateless.with(ref(x), mask(node, c), weights(node, c), ref(xs), ref(gates), ref(recurrent), ref(h),
                        ref(c.value(node.name())), activation(a.activation()), activation(a.recurrentActivation()),
                        bool(a.returnSequences()), bool(a.goBackwards())));
    }

    @Override
    void backward(Node node, Attributes a, Lowerer c, Backward b) {
        String dGates = sequenceBuffer(c, node, "GatesGrad", 3L * a.units());
        String dRecurrent = sequenceBuffer(c, node, "RecurrentGrad", 3L * a.units());
        String dh = c.buffer(node.name() + "Dh", Shape.of(a.units()));
        List<Arg> grads = b.weightGradients();
        backwardCall(node, a, c, b, "backpropagation through time, last step first", Stateless.with(b.mask(),
                b.kernel(),
                b.recurrentKernel(), ref(c.value(node.name() + "/xs")), ref(c.value(node.name() + "/gates")),
                ref(c.value(node.name() + "/recurrent")), ref(c.value(node.name() + "/h")),
                b.dy(), ref(dGates), ref(dRecurrent), ref(dh), grads.get(0), grads.get(1),
                grads.get(2), b.dxs(), b.dx(), activation(a.activation()), activation(a.recurrentActivation()),
                bool(a.returnSequences()), bool(a.goBackwards()), grads.get(3), bool(b.accumulateInput())));
    }
}
