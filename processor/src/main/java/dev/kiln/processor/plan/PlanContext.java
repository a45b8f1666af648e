package dev.kiln.processor.plan;

import com.palantir.javapoet.NameAllocator;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Arg;
import dev.kiln.processor.layer.Call;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.layer.Call.When;
import dev.kiln.processor.layer.Lowerer;
import dev.kiln.processor.layer.WeightFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The planner's working state, handed to each layer's lowering: field names, buffers and their slots, which gradients
 * are needed, whether a gradient buffer is written or accumulated into, and the calls of the block being built.
 */
final class PlanContext implements Lowerer {
    private final ModelGraph graph;
    private final NameAllocator names = new NameAllocator();
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> gradients = new HashMap<>();
    private final Map<String, Plan.Weight> weights = new HashMap<>();
    private final Set<String> written = new HashSet<>();
    private Set<String> needsGradient;
    private final Set<String> fused;
    private final Set<String> live;
    private final Map<String, String> masks = new HashMap<>();
    final List<Plan.Buffer> buffers = new ArrayList<>();
    private List<Call> calls = new ArrayList<>();

    PlanContext(ModelGraph graph, Set<String> live, Set<String> needsGradient, Set<String> fused) {
        this.graph = graph;
        this.live = live;
        this.needsGradient = needsGradient;
        this.fused = fused;
        for (String reserved : List.of("outputs", "outputGradients", "outputLogits", "random", "training", "inputs",
                "dims", "SPEC", "SLOTS", "seed", "dataType")) {
            names.newName(reserved, "reserved:" + reserved);
        }
    }

    ModelGraph graph() {
        return graph;
    }

    String field(String suggestion) {
        return names.newName(suggestion);
    }

    @Override
    public String value(String node) {
        return values.get(node);
    }

    @Override
    public void setValue(String node, String field) {
        values.put(node, field);
    }

    @Override
    public String mask(String node) {
        String source = graph.maskSource(node);
        return source == null ? null : masks.get(source);
    }

    /** Registers the mask buffer that producer {@code node} writes. */
    void setMask(String node, String field) {
        masks.put(node, field);
    }

    @Override
    public Shape shape(String node) {
        return graph.node(node).shape();
    }

    @Override
    public String buffer(String suggestion, Shape shape) {
        String field = names.newName(suggestion);
        buffers.add(new Plan.Buffer(field, buffers.size(), shape));
        return field;
    }

    @Override
    public String gradient(String node) {
        return gradients.computeIfAbsent(node, n -> buffer("d" + capitalize(n), graph.node(n).shape()));
    }

    boolean hasGradient(String node) {
        return gradients.containsKey(node);
    }

    /** The live node that selects {@code part} of {@code node}, or null. */
    private Node livePart(Node node, String part) {
        Node p = graph.part(node.name(), part);
        return p != null && live.contains(p.name()) ? p : null;
    }

    @Override
    public String partValue(Node node, String part) {
        Node p = livePart(node, part);
        return p == null ? null : value(p.name());
    }

    @Override
    public String partGradient(Node node, String part) {
        Node p = livePart(node, part);
        return p == null || !needsGradient(p.name()) ? null : gradient(p.name());
    }

    /** An output's loss writes its gradient; any consumer that runs writes it, but the node's own parts. */
    @Override
    public boolean receivesGradient(String node) {
        if (graph.node(node).isOutput()) {
            return true;
        }
        for (Node c : graph.consumers(node)) {
            if (live.contains(c.name()) && !ModelGraph.isLayerPart(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean needsGradient(String node) {
        return needsGradient.contains(node);
    }

    @Override
    public boolean fused(String node) {
        return fused.contains(node);
    }

    /**
     * True when the next contribution to {@code dNode} must add to what is there: a node consumed twice, or an output
     * that also feeds another node, gets several contributions, and only the first one writes.
     */
    @Override
    public boolean accumulate(String node) {
        return !written.add(node);
    }

    /** Marks {@code dNode} as written before the backward pass (the loss writes output gradients). */
    void preWritten(String node) {
        written.add(node);
    }

    /**
     * Starts a second backward pass, in which {@code needsGradient} nodes (inputs among them) get gradients: what was
     * written by the first pass is forgotten, but for the outputs' gradients, which the loss or the caller writes.
     */
    void startPass(Set<String> needsGradient, List<String> outputs) {
        this.needsGradient = needsGradient;
        written.clear();
        written.addAll(outputs);
    }

    void addWeight(Plan.Weight w) {
        weights.put(w.name(), w);
    }

    @Override
    public WeightFields weight(Node node, String suffix) {
        Plan.Weight w = weights.get(node.weights() + "/" + suffix);
        return w == null ? null : new WeightFields(w.name(), w.field(), w.gradientField());
    }

    @Override
    public boolean accumulateWeight(WeightFields w) {
        return !written.add("weight:" + w.name());
    }

    @Override
    public void call(When when, Kernel target, String method, String comment, Arg... args) {
        calls.add(new Call(target, method, List.of(args), when, comment));
    }

    /** The calls added since the last take. */
    List<Call> take() {
        List<Call> out = calls;
        calls = new ArrayList<>();
        return out;
    }

    /** {@code kernel} as {@code Kernel}; Keras's snake case in camel case: {@code recurrent_kernel}, RecurrentKernel. */
    static String capitalize(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean upper = true;
        for (char ch : s.toCharArray()) {
            if (ch == '_' || ch == '/') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
