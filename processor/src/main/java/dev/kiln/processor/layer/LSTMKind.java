package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import java.util.List;

/**
 * {@code @LSTM}: Keras's LSTM, one kernel call each way over planned time-major scratch: the input in processing
 * order, the four gates, the hidden and cell states of every step; for backward the gates' gradients and one step's
 * {@code dh} and {@code dc}.
 */
@AutoService(LayerKind.class)
public final class LSTMKind extends RecurrentKind {
    @Override
    public String annotation() {
        return "LSTM";
    }

    @Override
    int gates() {
        return 4;
    }

    @Override
    List<String> stateNames() {
        return List.of("h", "c");
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        long in = c.shape(node.inputs().get(0)).last();
        String xs = sequenceBuffer(c, node, "Xs", in);
        String gates = sequenceBuffer(c, node, "Gates", 4L * a.units());
        String h = sequenceBuffer(c, node, "H", a.units());
        String cell = sequenceBuffer(c, node, "C", a.units());
        c.setValue(node.name() + "/xs", xs);
        c.setValue(node.name() + "/gates", gates);
        c.setValue(node.name() + "/h", h);
        c.setValue(node.name() + "/c", cell);
        forwardCall(node, a, c, "every step: gates [i, f, c, o], c = f * c + i * g, h = o * act(c)", Stateless.with(
                ref(x), mask(node, c), weights(node, c), ref(xs), ref(gates), ref(h), ref(cell),
                        ref(c.value(node.name())),
                activation(a.activation()), activation(a.recurrentActivation()), bool(a.returnSequences()),
                bool(a.goBackwards())));
    }

    @Override
    void backward(Node node, Attributes a, Lowerer c, Backward b) {
        String dGates = sequenceBuffer(c, node, "GatesGrad", 4L * a.units());
        String dh = c.buffer(node.name() + "Dh", Shape.of(a.units()));
        String dc = c.buffer(node.name() + "Dc", Shape.of(a.units()));
        List<Arg> grads = b.weightGradients();
        backwardCall(node, a, c, b, "backpropagation through time, last step first", Stateless.with(b.mask(),
                b.kernel(),
                b.recurrentKernel(), ref(c.value(node.name() + "/xs")), ref(c.value(node.name() + "/gates")),
                ref(c.value(node.name() + "/h")), ref(c.value(node.name() + "/c")), b.dy(),
                ref(dGates), ref(dh), ref(dc), grads.get(0), grads.get(1), grads.get(2), b.dxs(), b.dx(),
                activation(a.activation()), activation(a.recurrentActivation()), bool(a.returnSequences()),
                bool(a.goBackwards()), grads.get(3), bool(b.accumulateInput())));
    }
}
