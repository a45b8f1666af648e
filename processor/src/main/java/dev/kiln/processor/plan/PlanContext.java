package dev.kiln.processor.plan;

import com.palantir.javapoet.NameAllocator;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.plan.Call.Kernel;
import dev.kiln.processor.plan.Call.When;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The planner's working state, handed to each {@link Lowering}: field names, buffers and their slots, which gradients
 * are needed, whether a gradient buffer is written or accumulated into, and the calls of the block being built.
 */
final class PlanContext {
    private final ModelGraph graph;
    private final NameAllocator names = new NameAllocator();
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> gradients = new HashMap<>();
    private final Map<String, Plan.Weight> weights = new HashMap<>();
    private final Set<String> written = new HashSet<>();
    private final Set<String> needsGradient;
    private final Set<String> fused;
    final List<Plan.Buffer> buffers = new ArrayList<>();
    private List<Call> calls = new ArrayList<>();

    PlanContext(ModelGraph graph, Set<String> needsGradient, Set<String> fused) {
        this.graph = graph;
        this.needsGradient = needsGradient;
        this.fused = fused;
        for (String reserved : List.of("outputs", "outputGradients", "random", "training", "inputs", "dims", "SPEC",
                "SLOTS", "seed", "dataType")) {
            names.newName(reserved, "reserved:" + reserved);
        }
    }

    ModelGraph graph() {
        return graph;
    }

    String field(String suggestion) {
        return names.newName(suggestion);
    }

    /** The field holding a node's output. */
    String value(String node) {
        return values.get(node);
    }

    void setValue(String node, String field) {
        values.put(node, field);
    }

    /** A new buffer field of one sample's {@code shape}. */
    String buffer(String suggestion, Shape shape) {
        String field = names.newName(suggestion);
        buffers.add(new Plan.Buffer(field, buffers.size(), shape));
        return field;
    }

    /** The field of {@code dLoss/dNode}, created on first use. */
    String gradient(String node) {
        return gradients.computeIfAbsent(node, n -> buffer("d" + capitalize(n), graph.node(n).shape()));
    }

    boolean hasGradient(String node) {
        return gradients.containsKey(node);
    }

    /** Whether the gradient with respect to {@code node}'s output must be computed. */
    boolean needsGradient(String node) {
        return needsGradient.contains(node);
    }

    /** Whether {@code node} is an output whose activation is fused with its loss. */
    boolean fused(String node) {
        return fused.contains(node);
    }

    /**
     * True when the next contribution to {@code dNode} must add to what is there: a node consumed twice, or an output
     * that also feeds another node, gets several contributions, and only the first one writes.
     */
    boolean accumulate(String node) {
        return !written.add(node);
    }

    /** Marks {@code dNode} as written before the backward pass (the loss writes output gradients). */
    void preWritten(String node) {
        written.add(node);
    }

    void addWeight(Plan.Weight w) {
        weights.put(w.name(), w);
    }

    /** The node's variable {@code suffix} (its own, or the one it shares), or null when the layer has none. */
    Plan.Weight weight(Node node, String suffix) {
        return weights.get(node.weights() + "/" + suffix);
    }

    /** True when a gradient was already written into this weight's gradient (a shared layer's later application). */
    boolean accumulateWeight(Plan.Weight w) {
        return !written.add("weight:" + w.name());
    }

    void call(Kernel target, String method, String comment, Arg... args) {
        calls.add(new Call(target, method, List.of(args), When.ALWAYS, comment));
    }

    void call(When when, Kernel target, String method, String comment, Arg... args) {
        calls.add(new Call(target, method, List.of(args), when, comment));
    }

    /** The calls added since the last take. */
    List<Call> take() {
        List<Call> out = calls;
        calls = new ArrayList<>();
        return out;
    }

    static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
