package dev.kiln.processor.plan;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Loss;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.InputKind;
import dev.kiln.processor.layer.LayerKind;
import dev.kiln.processor.layer.PartKind;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.graph.Variable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 4: decides what runs, in what memory. Only nodes that feed an output are planned; weights are laid out in one
 * flat buffer (trainable first); gradients are planned only where they reach a trainable weight; a softmax or sigmoid
 * output meets its cross-entropy as one gradient; every buffer gets a slot in the pool.
 *
 * <p>It is only called on graphs that passed every check: an impossible input is an {@link AssertionError}.
 */
public final class Planner {
    private Planner() {
    }

    public static Plan plan(ModelGraph graph) {
        List<Node> nodes = live(graph);
        Set<String> needsGradient = needsGradient(nodes);
        Set<String> fused = fused(graph);
        PlanContext c = new PlanContext(graph, nodes.stream().map(Node::name).collect(java.util.stream.Collectors
                .toSet()), needsGradient, fused);

        List<Plan.Weight> weights = weights(nodes, graph, c);
        List<Plan.InputField> inputs = new ArrayList<>();
        for (Node n : nodes) {
            if (n.isInput()) {
                String field = c.field(n.name());
                c.setValue(n.name(), field);
                inputs.add(new Plan.InputField(n, field, inputs.size(), null));
            } else {
                c.setValue(n.name(), c.buffer(n.name(), n.shape()));
                if (n.layer().producesMask()) {
                    c.setMask(n.name(), c.buffer(n.name() + "Mask", Shape.of(n.shape().dim(0))));
                }
            }
        }
        List<Plan.OutputBinding> outputs = new ArrayList<>();
        for (Node o : graph.outputs()) {
            String gradient = c.gradient(o.name());
            c.preWritten(o.name());
            outputs.add(new Plan.OutputBinding(o, c.value(o.name()), gradient, fused.contains(o.name()), null));
        }

        List<Plan.Block> forward = new ArrayList<>();
        for (Node n : nodes) {
            if (n.isInput()) {
                continue;
            }
            n.layer().forward(n, c);
            forward.add(new Plan.Block(header(graph, n), c.take(), null));
        }
        outputs = outputs.stream().map(o -> o.withLogits(o.fused() ? c.value(o.node().name() + "/logits") : null))
                .toList();
        List<Plan.Block> backward = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.isInput()) {
                backward.add(new Plan.Block(null, List.of(), n.name() + " is an @Input: no gradient is computed for it."));
                continue;
            }
            if (!needsGradient.contains(n.name())) {
                backward.add(new Plan.Block(null, List.of(), n.name() + ": nothing before it is trainable, no gradient."));
                continue;
            }
            n.layer().backward(n, c);
            backward.add(new Plan.Block(backwardHeader(n), c.take(), null));
        }
        List<Plan.Block> backwardToInputs = backwardToInputs(nodes, c, outputs);
        inputs = inputs.stream().map(in -> new Plan.InputField(in.node(), in.field(), in.index(),
                c.hasGradient(in.node().name()) ? c.gradient(in.node().name()) : null)).toList();
        String className = graph.decl().generatedName();
        SlotAllocator.Result slots = SlotAllocator.assign(c.buffers, forward, backward, backwardToInputs, outputs,
                inputs.stream().map(Plan.InputField::gradientField).filter(f -> f != null).toList());
        return new Plan(graph, className, hash(graph, nodes), liveNodes(nodes, weights, graph, c), weights, slots.buffers(),
                slots.slots(), slots.tapeBuffers(), slots.tapeSlots(), inputs, outputs, forward, backward,
                backwardToInputs);
    }

    /**
     * The backward pass of a custom loop's tape: every node's gradient, down to the floating-point inputs' (Keras's
     * {@code tape.gradient(loss, x)}), and the weights' gradients as {@code backward} computes them.
     */
    private static List<Plan.Block> backwardToInputs(List<Node> nodes, PlanContext c, List<Plan.OutputBinding> outputs) {
        Set<String> all = new HashSet<>();
        for (Node n : nodes) {
            if (!n.isInput() || !(n.layer().attributes() instanceof InputKind.Attributes a)
                    || !a.dtype().ids()) {
                all.add(n.name());
            }
        }
        c.startPass(all, outputs.stream().map(o -> o.node().name()).toList());
        List<Plan.Block> out = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.isInput()) {
                out.add(new Plan.Block(null, List.of(), all.contains(n.name())
                        ? n.name() + " is an @Input: its gradient is complete."
                        : n.name() + " is an integer @Input: ids have no gradient."));
                continue;
            }
            n.layer().backward(n, c);
            out.add(new Plan.Block(backwardHeader(n), c.take(), null));
        }
        return out;
    }

    /** Nodes that feed some output, in topological order. */
    static List<Node> live(ModelGraph graph) {
        Set<String> used = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        graph.outputs().forEach(o -> todo.add(o.name()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (used.add(name)) {
                todo.addAll(graph.node(name).inputs());
            }
        }
        return graph.nodes().stream().filter(n -> used.contains(n.name())).toList();
    }

    /** Nodes whose output gradient leads to a trainable weight. */
    private static Set<String> needsGradient(List<Node> nodes) {
        Set<String> out = new HashSet<>();
        for (Node n : nodes) {
            if (n.isInput()) {
                continue;
            }
            boolean trainable = n.layer().variables(shapes(nodes, n)).stream().anyMatch(Variable::trainable);
            if (trainable || n.inputs().stream().anyMatch(out::contains)) {
                out.add(n.name());
            }
        }
        return out;
    }

    /** Outputs whose softmax/sigmoid meets a matching cross-entropy, and that feed no other node. */
    private static Set<String> fused(ModelGraph graph) {
        Set<String> out = new HashSet<>();
        for (Node o : graph.outputs()) {
            if (!graph.consumers(o.name()).isEmpty() || o.layer().outputActivation(o.shape()) == null
                    || o.output().flag("fromLogits")) {
                continue; // a layer that passes its input's values on cannot take the loss's fused gradient
            }
            Loss loss = Loss.valueOf(o.output().constant("loss"));
            Activation a = graph.outputActivation(o);
            boolean softmaxCe = a == Activation.SOFTMAX
                    && (loss == Loss.CATEGORICAL_CROSSENTROPY || loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
            boolean sigmoidBce = a == Activation.SIGMOID && loss == Loss.BINARY_CROSSENTROPY;
            if (softmaxCe || sigmoidBce) {
                out.add(o.name());
            }
        }
        return out;
    }

    /** One variable per weight owner (a shared layer's applications use the first's), trainable first. */
    private static List<Plan.Weight> weights(List<Node> nodes, ModelGraph graph, PlanContext c) {
        List<String> owners = new ArrayList<>();
        List<Variable> vars = new ArrayList<>();
        for (boolean trainable : new boolean[] {true, false}) {
            Set<String> seen = new HashSet<>();
            for (Node n : nodes) {
                if (n.isInput() || !seen.add(n.weights())) {
                    continue;
                }
                for (Variable v : n.layer().variables(shapes(nodes, n))) {
                    if (v.trainable() == trainable) {
                        owners.add(n.weights());
                        vars.add(v);
                    }
                }
            }
        }
        List<Plan.Weight> out = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            String owner = owners.get(i);
            Variable v = vars.get(i);
            String base = owner + PlanContext.capitalize(v.suffix());
            String field = c.field(base);
            String gradient = v.trainable() ? c.field(base + "Grad") : null;
            Plan.Weight w = new Plan.Weight(owner + "/" + v.suffix(), field, gradient, v, i);
            c.addWeight(w);
            out.add(w);
        }
        return out;
    }

    /**
     * Each live node with the parameters it owns: a weight belongs to the first node, in topological order, that uses
     * it, so a shared layer's later applications own none and a nested model's weights are counted once, on its nodes.
     */
    private static List<Plan.LiveNode> liveNodes(List<Node> nodes, List<Plan.Weight> weights, ModelGraph graph,
            PlanContext c) {
        Map<String, long[]> byOwner = new HashMap<>();
        for (Plan.Weight w : weights) {
            String owner = w.name().substring(0, w.name().length() - w.variable().suffix().length() - 1);
            long[] counts = byOwner.computeIfAbsent(owner, o -> new long[2]);
            counts[0] += w.variable().length();
            counts[1] += w.variable().trainable() ? w.variable().length() : 0;
        }
        List<Plan.LiveNode> out = new ArrayList<>();
        for (Node n : nodes) {
            long[] counts = byOwner.remove(n.weights());
            LayerKind.MaskUse use = n.layer().maskUse();
            boolean consumes = use == LayerKind.MaskUse.CONSUMES || use == LayerKind.MaskUse.CONSUMES_AND_PASSES;
            String inputMask = consumes ? graph.maskSource(n.inputs().get(0)) : null;
            out.add(new Plan.LiveNode(n, n.layer().config(), counts == null ? 0 : counts[0],
                    counts == null ? 0 : counts[1], inputMask, c.value(n.name())));
        }
        return out;
    }

    static List<Shape> shapes(List<Node> nodes, Node n) {
        Map<String, Shape> byName = new HashMap<>();
        nodes.forEach(m -> byName.put(m.name(), m.shape()));
        return n.inputs().stream().map(byName::get).toList();
    }

    /**
     * {@code hidden: @Dense(units = 128, activation = RELU)   (batch, 784) -> (batch, 128)}; for a part its layer
     * writes, {@code stateH: @Part("h") of encoder, which its call writes   (batch, 64)}.
     */
    private static String header(ModelGraph graph, Node n) {
        if (n.layer().kind() instanceof PartKind) {
            return part(n) + (ModelGraph.isLayerPart(n) ? ", which its call writes   " : "   ") + batched(n.shape());
        }
        StringBuilder in = new StringBuilder();
        for (String i : n.inputs()) {
            in.append(in.length() == 0 ? "" : ", ").append(batched(graph.node(i).shape()));
        }
        return n.name() + ": " + n.decl().source() + "   " + in + " -> " + batched(n.shape());
    }

    /** {@code hidden: @Dense(units = 128)}; for a part its layer writes, where its gradient goes. */
    private static String backwardHeader(Node n) {
        return ModelGraph.isLayerPart(n) ? part(n) + ": its gradient goes into that layer's backward call"
                : n.layer().kind() instanceof PartKind ? part(n) : n.name() + ": " + n.decl().source();
    }

    /**
     * {@code stateH: @Part("h") of encoder}, or for a nested model's output {@code logVar: @Part("zLogVar"), a copy of
     * encoder/zLogVar}.
     */
    private static String part(Node n) {
        return n.name() + ": @Part(\"" + PartKind.part(n.layer()) + "\")" + (ModelGraph.isLayerPart(n) ? " of "
                : ", a copy of ") + n.inputs().get(0);
    }

    static String batched(Shape s) {
        String inner = s.toString();
        return "(batch, " + inner.substring(1);
    }

    /** The attributes the user wrote in {@code decl}, in a stable order. */
    private static String written(LayerDecl decl) {
        Map<String, Object> out = new java.util.TreeMap<>();
        decl.attributes().forEach((k, v) -> {
            if (decl.explicit().contains(k)) {
                out.put(k, v);
            }
        });
        return out.toString();
    }

    /**
     * A stable hash of what the model computes: nodes, wiring, the attributes the user wrote (so that a Kiln that adds
     * an attribute with a default still loads the files an earlier one saved), shapes and losses.
     */
    private static String hash(ModelGraph graph, List<Node> nodes) {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n.name()).append('|').append(n.decl().annotation()).append('|').append(written(n.decl()))
                    .append('|').append(n.inputs()).append('|').append(n.shape()).append('|')
                    .append(n.output() == null ? "" : written(n.output())).append('|').append(n.weights())
                    .append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", d[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
