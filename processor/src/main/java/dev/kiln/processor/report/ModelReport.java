package dev.kiln.processor.report;

import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.layer.Call;
import dev.kiln.processor.plan.Plan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the compile-time report says about one model, computed from its {@link Plan}: per node its output shape,
 * parameters and multiply-adds; the totals; the planned buffers; the weights; the number of kernel calls.
 *
 * <p>Costs are per sample (no batch axis); an open ({@code None}) axis counts as length 1, so such costs scale with
 * it. Multiply-adds count the matrix products: a layer with weights costs its forward count once more for its weights'
 * gradient (when trainable) and once more for its input's gradient (when one is needed); element-wise work (bias,
 * activations, dropout) is not counted.
 */
public record ModelReport(String model, String generated, String hash, List<Row> rows, List<String> unplanned,
        Totals totals, List<Plan.Weight> weights, List<Plan.Buffer> buffers, int slots, Calls calls) {

    /** One planned node. {@code trainingMacs} is forward plus backward. */
    public record Row(Node node, long params, long trainableParams, long forwardMacs, long trainingMacs) {
    }

    /**
     * Sums over the planned nodes; element counts are per sample. {@code bufferElements} is the planned memory: per
     * slot, its largest buffer.
     */
    public record Totals(long params, long trainableParams, long forwardMacs, long trainingMacs,
            long activationElements, long bufferElements) {
        public long nonTrainableParams() {
            return params - trainableParams;
        }
    }

    /** Kernel calls per step: a prediction's forward pass, and a training step's forward and backward passes. */
    public record Calls(int inference, int trainingForward, int backward) {
    }

    public static ModelReport of(Plan plan) {
        ModelGraph graph = plan.graph();
        Set<String> live = live(graph);
        Map<String, Shape> shapes = new HashMap<>();
        graph.nodes().forEach(n -> shapes.put(n.name(), n.shape()));
        Set<String> needsGradient = new HashSet<>();
        List<Row> rows = new ArrayList<>();
        List<String> unplanned = new ArrayList<>();
        long params = 0;
        long trainable = 0;
        long forward = 0;
        long training = 0;
        long activations = 0;
        for (Node n : graph.nodes()) {
            if (!live.contains(n.name())) {
                unplanned.add(n.name());
                continue;
            }
            Plan.LiveNode owned = plan.nodes().stream().filter(l -> l.node().name().equals(n.name())).findFirst()
                    .orElseThrow();
            long p = owned.params();
            long t = owned.trainableParams();
            long f = 0;
            long b = 0;
            if (!n.isInput()) {
                List<Shape> in = n.inputs().stream().map(shapes::get).toList();
                f = n.layer().forwardMacs(in, n.shape());
                List<Variable> vars = n.layer().variables(in);
                boolean weightGradient = vars.stream().anyMatch(Variable::trainable);
                boolean inputGradient = n.inputs().stream().anyMatch(needsGradient::contains);
                if (!vars.isEmpty()) {
                    b = (weightGradient ? f : 0) + (inputGradient ? f : 0);
                }
                if (weightGradient || inputGradient) {
                    needsGradient.add(n.name());
                }
                activations += n.shape().elements();
            }
            rows.add(new Row(n, p, t, f, f + b));
            params += p;
            trainable += t;
            forward += f;
            training += f + b;
        }
        long[] slotSize = new long[plan.slots()]; // buffers sharing a slot share its memory: the largest sets it
        for (Plan.Buffer b : plan.buffers()) {
            slotSize[b.slot()] = Math.max(slotSize[b.slot()], b.shape().elements());
        }
        long buffers = 0;
        for (long n : slotSize) {
            buffers += n;
        }
        Calls calls = new Calls(count(plan.forward(), Call.When.INFERENCE), count(plan.forward(), Call.When.TRAINING),
                count(plan.backward(), Call.When.TRAINING));
        return new ModelReport(graph.decl().qualifiedName(), graph.decl().generatedQualifiedName(), plan.hash(),
                rows, unplanned, new Totals(params, trainable, forward, training, activations, buffers),
                plan.weights(), plan.buffers(), plan.slots(), calls);
    }

    /** Calls of {@code blocks} that run in mode {@code mode} (those marked always, and those for that mode). */
    private static int count(List<Plan.Block> blocks, Call.When mode) {
        int n = 0;
        for (Plan.Block b : blocks) {
            for (Call c : b.calls()) {
                n += c.when() == Call.When.ALWAYS || c.when() == mode ? 1 : 0;
            }
        }
        return n;
    }

    /** Nodes that feed some output: the ones the planner plans. */
    static Set<String> live(ModelGraph graph) {
        Set<String> used = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        graph.outputs().forEach(o -> todo.add(o.name()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (used.add(name)) {
                todo.addAll(graph.node(name).inputs());
            }
        }
        return used;
    }
}
