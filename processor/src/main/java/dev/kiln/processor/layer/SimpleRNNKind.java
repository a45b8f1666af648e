package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import java.util.List;

/**
 * {@code @SimpleRNN}: Keras's SimpleRNN, one kernel call each way over planned time-major scratch: the input in
 * processing order and every step's state; for backward the pre-activations' gradients and one step's {@code dh}.
 */
@AutoService(LayerKind.class)
public final class SimpleRNNKind extends RecurrentKind {
    @Override
    public String annotation() {
        return "SimpleRNN";
    }

    @Override
    int gates() {
        return 1;
    }

    @Override
    List<String> stateNames() {
        return List.of("h");
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        long in = c.shape(node.inputs().get(0)).last();
        String xs = sequenceBuffer(c, node, "Xs", in);
        String h = sequenceBuffer(c, node, "H", a.units());
        c.setValue(node.name() + "/xs", xs);
        c.setValue(node.name() + "/h", h);
        forwardCall(node, a, c, "every step: h = act(x W + h U + b)", Stateless.with(ref(x), mask(node, c),
                weights(node, c),
                ref(xs), ref(h), ref(c.value(node.name())), activation(a.activation()), bool(a.returnSequences()),
                bool(a.goBackwards())));
    }

    @Override
    void backward(Node node, Attributes a, Lowerer c, Backward b) {
        String dPre = sequenceBuffer(c, node, "PreGrad", a.units());
        String dh = c.buffer(node.name() + "Dh", Shape.of(a.units()));
        List<Arg> grads = b.weightGradients();
        backwardCall(node, a, c, b, "backpropagation through time, last step first", Stateless.with(b.mask(),
                b.kernel(),
                b.recurrentKernel(), ref(c.value(node.name() + "/xs")), ref(c.value(node.name() + "/h")),
                b.dy(), ref(dPre), ref(dh), grads.get(0), grads.get(1), grads.get(2), b.dxs(),
                b.dx(), activation(a.activation()), bool(a.returnSequences()), bool(a.goBackwards()), grads.get(3),
                bool(b.accumulateInput())));
    }
}
