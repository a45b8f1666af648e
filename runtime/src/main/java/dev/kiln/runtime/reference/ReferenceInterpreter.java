package dev.kiln.runtime.reference;

import dev.kiln.dsl.Loss;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.ModelSpec.NodeSpec;
import dev.kiln.runtime.ModelSpec.Output;
import dev.kiln.runtime.layer.InputConfig;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.layer.PartConfig;
import dev.kiln.runtime.loss.Losses;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The oracle: runs a {@link ModelSpec} node by node, the obvious way, through each layer's {@link LayerReference} —
 * naive loops, fresh arrays everywhere, no fusion, no planned buffers, gradients through every activation (softmax by
 * its Jacobian) — so that generated models, with all their optimizations, can be checked against it. Dropout runs in
 * inference mode (the identity). Only the losses are the runtime's own (they have tests of their own). A node with
 * parts gives all its values at once ({@link LayerReference#forwardValues}); a {@link PartConfig} node picks one.
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
        return forward(inputs, new HashMap<>(), new HashMap<>());
    }

    /** Where part {@code p} lies among the values of node {@code source}: after the output, in its config's order. */
    private int partIndex(String source, PartConfig p) {
        return 1 + spec.node(source).config().partNames().indexOf(p.part());
    }

    /**
     * As {@link #forward(INDArray...)}, the masks that nodes put on their outputs into {@code masks}, and every value
     * of each node with parts (its output first) into {@code all}.
     */
    private Map<String, INDArray> forward(INDArray[] inputs, Map<String, INDArray> masks, Map<String, INDArray[]> all) {
        Map<String, INDArray> values = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            values.put(spec.inputs().get(i).name(), inputs[i]);
        }
        for (NodeSpec n : spec.nodes()) {
            if (n.config() instanceof InputConfig) {
                continue;
            }
            if (n.config() instanceof PartConfig p) {
                String source = n.inputs().get(0);
                values.put(n.name(), p.nestedOutput() ? values.get(source) : all.get(source)[partIndex(source, p)]);
                continue;
            }
            INDArray[] xs = n.inputs().stream().map(values::get).toArray(INDArray[]::new);
            INDArray mask = inputMask(masks, n);
            INDArray[] v = forward(n.config(), xs, mask, new LayerWeights(n.weights(), weights, null));
            values.put(n.name(), v[0]);
            if (v.length > 1) {
                all.put(n.name(), v);
            }
            INDArray produced = mask(n.config(), xs);
            if (produced != null) {
                masks.put(n.name(), produced);
            }
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
        Map<String, INDArray> masks = new HashMap<>();
        Map<String, INDArray[]> all = new HashMap<>();
        Map<String, INDArray> values = forward(inputs, masks, all);
        Map<String, INDArray> grads = new HashMap<>();
        Map<String, INDArray[]> partGrads = new HashMap<>();
        double total = 0;
        for (int i = 0; i < spec.outputs().size(); i++) {
            Output o = spec.outputs().get(i);
            if (o.spec().loss() == Loss.NONE) {
                continue;
            }
            INDArray y = values.get(o.spec().name());
            INDArray g = y.ulike();
            total += o.spec().lossWeight() * Losses.forOutput(o.spec(), false, y, targets[i], g);
            add(grads, o.spec().name(), g);
        }
        List<NodeSpec> nodes = spec.nodes();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            NodeSpec n = nodes.get(k);
            INDArray dy = grads.get(n.name());
            if (n.config() instanceof PartConfig p && dy != null) {
                String source = n.inputs().get(0);
                if (p.nestedOutput()) {
                    add(grads, source, dy);
                } else {
                    INDArray[] g = partGrads.computeIfAbsent(source, s -> new INDArray[all.get(s).length]);
                    int i = partIndex(source, p);
                    g[i] = g[i] == null ? dy : g[i].add(dy);
                }
                continue;
            }
            INDArray[] dParts = partGrads.get(n.name());
            if ((dy == null && dParts == null) || n.config() instanceof InputConfig) {
                continue;
            }
            INDArray[] xs = n.inputs().stream().map(values::get).toArray(INDArray[]::new);
            INDArray mask = inputMask(masks, n);
            INDArray[] v = all.getOrDefault(n.name(), new INDArray[] {values.get(n.name())});
            INDArray[] dv = dParts != null ? dParts : new INDArray[v.length];
            dv[0] = dy;
            INDArray[] dxs = backward(n.config(), xs, mask, v, dv, new LayerWeights(n.weights(), weights, gradients));
            for (int i = 0; i < dxs.length; i++) {
                add(grads, n.inputs().get(i), dxs[i]);
            }
        }
        return total;
    }

    private static <C extends LayerConfig> INDArray[] forward(C config, INDArray[] xs, INDArray mask,
            LayerWeights w) {
        return References.forConfig(config).forwardValues(config, xs, mask, w);
    }

    private static <C extends LayerConfig> INDArray mask(C config, INDArray[] xs) {
        return References.forConfig(config).mask(config, xs);
    }

    private static <C extends LayerConfig> INDArray[] backward(C config, INDArray[] xs, INDArray mask, INDArray[] v,
            INDArray[] dv, LayerWeights w) {
        return References.forConfig(config).backwardValues(config, xs, mask, v, dv, w);
    }

    /** The mask that node {@code n}'s layer reads on its input, or null. */
    private INDArray inputMask(Map<String, INDArray> masks, NodeSpec n) {
        String source = spec.inputMask(n.name());
        return source == null ? null : masks.get(source);
    }

    private static void add(Map<String, INDArray> grads, String node, INDArray g) {
        grads.merge(node, g, INDArray::add);
    }

    /** Copies of {@code m} for a caller that mutates. */
    static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
