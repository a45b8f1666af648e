package dev.kiln.runtime.reference;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Loss;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.ModelSpec.NodeSpec;
import dev.kiln.runtime.ModelSpec.Output;
import dev.kiln.runtime.kernel.Activations;
import dev.kiln.runtime.kernel.Dots;
import dev.kiln.runtime.kernel.Merges;
import dev.kiln.runtime.kernel.Reshapes;
import org.nd4j.linalg.factory.Nd4j;
import dev.kiln.runtime.kernel.Kernels;
import dev.kiln.runtime.loss.Losses;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The oracle: runs a {@link ModelSpec} node by node, the obvious way — fresh arrays everywhere, no fusion, no planned
 * buffers, gradients through every activation (softmax by its Jacobian) — so that generated models, with all their
 * optimizations, can be checked against it. Dropout runs in inference mode (the identity).
 */
public final class ReferenceInterpreter {
    private final ModelSpec spec;
    private final Map<String, INDArray> weights;

    /** {@code weights} keyed by Keras variable names, as {@code getWeights()} returns them. */
    public ReferenceInterpreter(ModelSpec spec, Map<String, INDArray> weights) {
        this.spec = spec;
        this.weights = weights;
    }

    /** Every node's value for inputs ordered as the spec's. */
    public Map<String, INDArray> forward(INDArray... inputs) {
        Map<String, INDArray> values = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            values.put(spec.inputs().get(i).name(), inputs[i]);
        }
        for (NodeSpec n : spec.nodes()) {
            if (n.layer().equals("InputLayer")) {
                continue;
            }
            INDArray x = values.get(n.inputs().get(0));
            INDArray[] xs = n.inputs().stream().map(values::get).toArray(INDArray[]::new);
            INDArray y = Nd4j.create(x.dataType(), batched(x.size(0), n.shape()));
            switch (n.layer()) {
                case "Dense" -> y = dense(n, x);
                case "Activation" -> y = activate((Activation) n.attribute("value"), x);
                case "Dropout", "Flatten", "Reshape" -> Kernels.copy(x, y, false);
                case "Concatenate" -> Reshapes.concatenate(axis(n), y, xs);
                case "Dot" -> Dots.forward((Boolean) n.attribute("normalize"), xs[0], xs[1], y);
                case "Permute" -> Reshapes.permute(order(n), x, y);
                case "RepeatVector" -> Reshapes.repeat(x, y);
                default -> Merges.forward(Merges.Op.valueOf(n.layer().toUpperCase()), y, xs);
            }
            values.put(n.name(), y);
        }
        return values;
    }

    /** The outputs, in the spec's order. */
    public INDArray[] predict(INDArray... inputs) {
        Map<String, INDArray> v = forward(inputs);
        return spec.outputs().stream().map(o -> v.get(o.spec().name())).toArray(INDArray[]::new);
    }

    /** The total loss, and {@code dLoss/dWeight} for every variable into {@code gradients}. */
    public double lossAndGradients(INDArray[] inputs, INDArray[] targets, Map<String, INDArray> gradients) {
        Map<String, INDArray> values = forward(inputs);
        Map<String, INDArray> grads = new HashMap<>();
        double total = 0;
        for (int i = 0; i < spec.outputs().size(); i++) {
            Output o = spec.outputs().get(i);
            if (o.spec().loss() == Loss.NONE) {
                continue;
            }
            INDArray y = values.get(o.spec().name());
            INDArray g = y.ulike();
            total += o.spec().lossWeight() * Losses.lossAndGradient(o.spec().loss(), false, y, targets[i], g,
                    o.spec().lossWeight());
            add(grads, o.spec().name(), g);
        }
        List<NodeSpec> nodes = spec.nodes();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            NodeSpec n = nodes.get(k);
            INDArray dy = grads.get(n.name());
            if (dy == null || n.layer().equals("InputLayer")) {
                continue;
            }
            INDArray x = values.get(n.inputs().get(0));
            INDArray y = values.get(n.name());
            INDArray[] xs = n.inputs().stream().map(values::get).toArray(INDArray[]::new);
            String w = weightsOf(n);
            switch (n.layer()) {
                case "Dense" -> {
                    Activation f = (Activation) n.attribute("activation");
                    INDArray z = preActivation(n, x);
                    INDArray dz = dy.ulike();
                    Activations.backward(f, z, y, dy, dz, false);
                    INDArray x2 = Kernels.matrix(x);
                    INDArray dz2 = Kernels.matrix(dz);
                    add(gradients, w + "/kernel", x2.transpose().mmul(dz2));
                    if ((Boolean) n.attribute("useBias")) {
                        add(gradients, w + "/bias", dz2.sum(0));
                    }
                    add(grads, n.inputs().get(0), dz2.mmul(weights.get(w + "/kernel").transpose())
                            .reshape(x.shape()));
                }
                case "Activation" -> {
                    INDArray dx = dy.ulike();
                    Activations.backward((Activation) n.attribute("value"), x, y, dy, dx, false);
                    add(grads, n.inputs().get(0), dx);
                }
                case "Dropout", "Flatten", "Reshape" -> add(grads, n.inputs().get(0), dy.dup().reshape(x.shape()));
                case "Permute" -> {
                    INDArray dx = x.ulike();
                    Reshapes.permuteBackward(order(n), dy, dx, false);
                    add(grads, n.inputs().get(0), dx);
                }
                case "RepeatVector" -> {
                    INDArray dx = x.ulike();
                    Reshapes.repeatBackward(dy, dx, false);
                    add(grads, n.inputs().get(0), dx);
                }
                default -> {
                    for (int i = 0; i < xs.length; i++) {
                        INDArray dx = xs[i].ulike();
                        switch (n.layer()) {
                            case "Concatenate" -> Reshapes.concatenateBackward(axis(n), i, dy, dx, false, xs);
                            case "Dot" -> Dots.backward((Boolean) n.attribute("normalize"), i, xs[0], xs[1], dy, dx,
                                    false);
                            default -> Merges.backward(Merges.Op.valueOf(n.layer().toUpperCase()), i, dy, dx, false, y,
                                    xs);
                        }
                        add(grads, n.inputs().get(i), dx);
                    }
                }
            }
        }
        return total;
    }

    private INDArray dense(NodeSpec n, INDArray x) {
        return activate((Activation) n.attribute("activation"), preActivation(n, x));
    }

    private INDArray preActivation(NodeSpec n, INDArray x) {
        String w = weightsOf(n);
        INDArray z = Kernels.matrix(x).mmul(weights.get(w + "/kernel"));
        if ((Boolean) n.attribute("useBias")) {
            z.addiRowVector(weights.get(w + "/bias"));
        }
        long[] shape = x.shape().clone();
        shape[shape.length - 1] = z.size(1);
        return z.reshape(shape).dup('c');
    }

    /** The node whose weights {@code n} uses: itself, or the layer it shares. */
    private static String weightsOf(NodeSpec n) {
        Object w = n.attributes().get("weights");
        return w == null ? n.name() : (String) w;
    }

    private static long[] batched(long batch, long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = batch;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    private static int axis(NodeSpec n) {
        int axis = (Integer) n.attribute("axis");
        return axis < 0 ? n.shape().length + 1 + axis : axis;
    }

    private static int[] order(NodeSpec n) {
        List<?> dims = (List<?>) n.attribute("dims");
        int[] order = new int[dims.size() + 1];
        for (int i = 0; i < dims.size(); i++) {
            order[i + 1] = ((Number) dims.get(i)).intValue();
        }
        return order;
    }

    private static INDArray activate(Activation f, INDArray z) {
        INDArray y = z.ulike();
        Activations.forward(f, z.dup('c'), y);
        return y;
    }

    private static void add(Map<String, INDArray> grads, String node, INDArray g) {
        INDArray prev = grads.get(node);
        grads.put(node, prev == null ? g : prev.add(g));
    }

    /** Copies of {@code m} for a caller that mutates. */
    static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
