package dev.kiln.keras;

import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.ModelSpec.NodeSpec;
import dev.kiln.runtime.layer.InputConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kiln model as Keras builds it: the model, and each model nested in it, a Functional of its own, each with its layers
 * in the order Keras gives them. Kiln's spec is flat (a nested model's nodes are named {@code outer/inner}, its weights
 * {@code outer/inner/kernel}); Keras writes a nested model as one layer of its parent holding its own layers and input
 * layers. Keras's order of a Functional's layers ({@code ops/function.py}'s {@code map_graph}) is by depth, the
 * operations farthest from the outputs first, those of one depth in the order a walk back from the outputs first meets
 * them; Keras numbers its weights files' groups ({@code dense}, {@code dense_1}) in that order and writes
 * {@code config.json}'s layers in it, so a file written in another order would fill Keras's layers with each other's
 * weights.
 */
final class KerasGraph {
    /** One Functional model: the root ({@code path} "") or a nested one. */
    static final class Scope {
        /** "" for the model, the nested node's name ({@code encoder}, {@code outer/inner}) for a nested one. */
        final String path;
        /** Its layers in Keras's order: input layers and layers as {@link Op}s, nested models as {@link Scope}s. */
        final List<Object> layers = new ArrayList<>();
        /** The nodes its input layers stand for: the model's inputs, or the outside nodes a nested model reads. */
        final List<NodeSpec> inputs = new ArrayList<>();
        /** The nodes it outputs: the model's outputs, or the one node of a nested model read outside it. */
        final List<NodeSpec> outputs = new ArrayList<>();
        /** The names of its input layers, by the node each stands for. */
        final Map<String, String> inputNames = new LinkedHashMap<>();
        /** Its own layers, by owner (the name a layer's weights go by). */
        final Map<String, Op> ops = new LinkedHashMap<>();
        final Map<String, Scope> children = new LinkedHashMap<>();

        Scope(String path) {
            this.path = path;
        }

        /** The layer's name in its parent: the nested node's last name. */
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** A layer of a scope: the node that defines it and every node that applies it, in call order. */
    static final class Op {
        final NodeSpec node;
        final String name;
        final List<NodeSpec> applications = new ArrayList<>();

        Op(NodeSpec node, String name) {
            this.node = node;
            this.name = name;
        }
    }

    private final ModelSpec spec;
    private final Map<String, Scope> scopes = new LinkedHashMap<>();
    private final Map<String, NodeSpec> nodes = new HashMap<>();
    final Scope root;

    private KerasGraph(ModelSpec spec) {
        this.spec = spec;
        spec.nodes().forEach(n -> nodes.put(n.name(), n));
        this.root = scope("");
    }

    /**
     * The scopes of {@code spec}.
     *
     * @throws IllegalArgumentException for a nested model applied twice (a {@code @Shared} node of a {@code @Nested}
     *     one), which Kiln does not write yet
     */
    static KerasGraph of(ModelSpec spec) {
        KerasGraph g = new KerasGraph(spec);
        g.build();
        return g;
    }

    static String owner(NodeSpec n) {
        return n.weights() == null ? n.name() : n.weights();
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private Scope scope(String path) {
        Scope s = scopes.get(path);
        if (s == null) {
            s = new Scope(path);
            scopes.put(path, s);
            if (!path.isEmpty()) {
                scope(parent(path)).children.put(path, s);
            }
        }
        return s;
    }

    /** The scope a node's layer belongs to. */
    private Scope scopeOf(NodeSpec n) {
        return scopes.get(parent(owner(n)));
    }

    private void build() {
        for (NodeSpec n : spec.nodes()) {
            String owner = owner(n);
            Scope s = scope(parent(owner));
            Op op = s.ops.get(owner);
            if (op == null) {
                op = new Op(n, owner.substring(owner.lastIndexOf('/') + 1));
                s.ops.put(owner, op);
            } else if (!parent(n.name()).equals(s.path)) {
                String nested = s.path.contains("/") ? s.path.substring(0, s.path.indexOf('/')) : s.path;
                String application = parent(n.name()).isEmpty() ? n.name() : parent(n.name());
                throw new IllegalArgumentException(spec.modelName() + ": node '" + application + "' applies the nested"
                        + " model '" + nested + "' again, which Kiln does not map to Keras's files yet");
            }
            op.applications.add(n);
        }
        for (ModelSpec.InputSpec in : spec.inputs()) {
            root.inputs.add(nodes.get(in.name()));
            root.inputNames.put(in.name(), in.name());
        }
        for (ModelSpec.Output o : spec.outputs()) {
            root.outputs.add(nodes.get(o.spec().name()));
        }
        for (Scope s : scopes.values()) {
            if (s != root) {
                nestedEnds(s);
            }
        }
        for (Scope s : scopes.values()) {
            order(s);
        }
    }

    /** Whether {@code n}'s layer lies in {@code s} or a model nested in it. */
    private boolean within(NodeSpec n, Scope s) {
        String p = parent(owner(n));
        return s.path.isEmpty() || p.equals(s.path) || p.startsWith(s.path + "/");
    }

    /** A nested model's inputs (the outside nodes its layers read, first read first) and its output. */
    private void nestedEnds(Scope s) {
        Set<String> taken = new HashSet<>();
        for (Map.Entry<String, Scope> c : s.children.entrySet()) {
            taken.add(c.getValue().name());
        }
        s.ops.values().forEach(op -> taken.add(op.name));
        for (NodeSpec n : spec.nodes()) {
            if (!within(n, s)) {
                continue;
            }
            for (String in : n.inputs()) {
                NodeSpec source = nodes.get(in);
                if (!within(source, s) && !s.inputs.contains(source)) {
                    s.inputs.add(source);
                    String base = source.name().substring(source.name().lastIndexOf('/') + 1);
                    String name = base;
                    for (int i = 1; taken.contains(name); i++) {
                        name = base + "_input" + (i == 1 ? "" : "_" + i);
                    }
                    taken.add(name);
                    s.inputNames.put(source.name(), name);
                }
            }
        }
        for (NodeSpec n : spec.nodes()) {
            boolean readOutside = spec.nodes().stream().anyMatch(m -> !within(m, s) && m.inputs().contains(n.name()))
                    || spec.outputs().stream().anyMatch(o -> o.spec().name().equals(n.name()));
            if (within(n, s) && readOutside) {
                s.outputs.add(n);
            }
        }
        if (s.outputs.size() != 1) {
            throw new AssertionError("nested model '" + s.path + "' has outputs " + s.outputs);
        }
    }

    /**
     * What produces node {@code n} as scope {@code s} sees it: an input layer's key ("input:" node), a layer's owner, or
     * a nested model's path.
     */
    String producer(Scope s, NodeSpec n) {
        if (s != root && s.inputNames.containsKey(n.name())) {
            return "input:" + n.name();
        }
        String p = parent(owner(n));
        if (p.equals(s.path)) {
            return owner(n);
        }
        String child = s.path.isEmpty() ? p.split("/")[0] : s.path + "/" + p.substring(s.path.length() + 1)
                .split("/")[0];
        return child;
    }

    /** The application index of node {@code n} of the producer {@link #producer} names: a shared layer's k-th call. */
    int callIndex(Scope s, NodeSpec n) {
        Op op = s.ops.get(producer(s, n));
        return op == null ? 0 : op.applications.indexOf(n);
    }

    /** The inputs of {@code n}'s application in {@code s}: a layer's node's inputs, or a nested model's inputs. */
    private List<NodeSpec> inputsOf(Scope s, String producer, int index) {
        Op op = s.ops.get(producer);
        if (op != null) {
            return op.node.config() instanceof InputConfig ? List.of()
                    : op.applications.get(index).inputs().stream().map(nodes::get).toList();
        }
        Scope child = scopes.get(producer);
        return child == null ? List.of() : child.inputs;
    }

    /** Orders a scope's layers as Keras's map_graph does. */
    private void order(Scope s) {
        // the walk back from the outputs (_build_map): each operation's first visit, and applications inputs first
        Map<String, Integer> firstSeen = new LinkedHashMap<>();
        List<String> applications = new ArrayList<>(); // "producer#index", inputs before their readers
        Set<String> finished = new HashSet<>();
        for (NodeSpec out : s.outputs) {
            walk(s, producer(s, out), callIndex(s, out), firstSeen, applications, finished);
        }
        // depths: an application's is one more than the deepest of its readers', an operation's its deepest one's
        Map<String, Integer> depthOfApplication = new HashMap<>();
        Map<String, Integer> depthOfOp = new HashMap<>();
        for (int i = applications.size() - 1; i >= 0; i--) {
            String app = applications.get(i);
            String producer = app.substring(0, app.lastIndexOf('#'));
            int index = Integer.parseInt(app.substring(app.lastIndexOf('#') + 1));
            int depth = Math.max(depthOfApplication.getOrDefault(app, 0), depthOfOp.getOrDefault(producer, 0));
            depthOfApplication.put(app, depth);
            depthOfOp.put(producer, depth);
            for (NodeSpec in : inputsOf(s, producer, index)) {
                String parentApp = producer(s, in) + "#" + callIndex(s, in);
                depthOfApplication.merge(parentApp, depth + 1, Math::max);
            }
        }
        for (NodeSpec in : s.inputs) { // an input no output depends on
            String key = s == root ? owner(in) : "input:" + in.name();
            if (!depthOfOp.containsKey(key)) {
                depthOfOp.put(key, 0);
                firstSeen.put(key, -1);
            }
        }
        List<String> ordered = new ArrayList<>(depthOfOp.keySet());
        ordered.sort(Comparator.comparing((String k) -> -depthOfOp.get(k)).thenComparing(firstSeen::get));
        for (String key : ordered) {
            if (key.startsWith("input:")) {
                s.layers.add(key);
            } else if (s.ops.containsKey(key)) {
                s.layers.add(s.ops.get(key));
            } else {
                s.layers.add(scopes.get(key));
            }
        }
    }

    private void walk(Scope s, String producer, int index, Map<String, Integer> firstSeen, List<String> applications,
            Set<String> finished) {
        String app = producer + "#" + index;
        if (!finished.add(app)) {
            return;
        }
        firstSeen.putIfAbsent(producer, firstSeen.size());
        for (NodeSpec in : inputsOf(s, producer, index)) {
            walk(s, producer(s, in), callIndex(s, in), firstSeen, applications, finished);
        }
        applications.add(app);
    }

    /** The model's layers that hold Keras weights, depth first through nested models, each in Keras's order. */
    List<Op> layersInKerasOrder() {
        List<Op> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Scope s, List<Op> out) {
        for (Object layer : s.layers) {
            if (layer instanceof Op op && !(op.node.config() instanceof InputConfig)) {
                out.add(op);
            } else if (layer instanceof Scope child) {
                collect(child, out);
            }
        }
    }
}
