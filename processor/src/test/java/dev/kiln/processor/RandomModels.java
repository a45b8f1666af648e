package dev.kiln.processor;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Loss;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random valid models of the layers that exist (Input, Dense, ActivationLayer, Dropout and the merges Add, Subtract,
 * Multiply, Average, Maximum, Minimum, Concatenate) and random single mistakes in them, for property tests. A model is
 * a DAG grown from one input (now and then a second one): each node consumes one earlier node, or 2-3 distinct earlier
 * nodes for a merge (all of one last-axis width except for Concatenate); every leaf is an @Output (so no node is
 * unused), and now and then an inner node is one too. Each output's loss fits what it ends in, so a valid model
 * compiles without a single warning.
 */
final class RandomModels {
    /**
     * One node: {@code parents} are the nodes it consumes, in parameter order (none for an input); {@code units} is a
     * Dense's width or an input's; {@code loss} is null unless an output.
     */
    record Node(String name, String kind, List<String> parents, int units, Activation activation, boolean bias,
            boolean trainable, double rate, Loss loss) {
        Node {
            parents = List.copyOf(parents);
        }

        Node withParents(List<String> p) {
            return new Node(name, kind, p, units, activation, bias, trainable, rate, loss);
        }

        Node withLoss(Loss l) {
            return new Node(name, kind, parents, units, activation, bias, trainable, rate, l);
        }

        Node withUnits(int u) {
            return new Node(name, kind, parents, u, activation, bias, trainable, rate, loss);
        }

        Node withRate(double r) {
            return new Node(name, kind, parents, units, activation, bias, trainable, r, loss);
        }

        boolean merge() {
            return MERGES.contains(kind);
        }
    }

    /** The merges; all but Concatenate need their inputs to agree in width, Subtract takes exactly two. */
    static final List<String> MERGES = List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
            "Concatenate");

    /** A model: its interface name and nodes in declaration order (the first input first). */
    record Model(String name, List<Node> nodes) {
        Node node(String n) {
            return nodes.stream().filter(x -> x.name().equals(n)).findFirst().orElseThrow();
        }

        List<Node> outputs() {
            return nodes.stream().filter(n -> n.loss() != null).toList();
        }

        List<Node> inputs() {
            return nodes.stream().filter(n -> n.kind().equals("Input")).toList();
        }

        /** Width of a node's last axis. */
        int units(Node n) {
            return switch (n.kind()) {
                case "Input", "Dense" -> n.units();
                case "Concatenate" -> n.parents().stream().mapToInt(p -> units(node(p))).sum();
                default -> units(node(n.parents().get(0)));
            };
        }

        /** The activation a node's output ends in, looking through Dropout as the checks do; a merge ends linear. */
        Activation endsIn(Node n) {
            return switch (n.kind()) {
                case "Dense", "ActivationLayer" -> n.activation();
                case "Dropout" -> endsIn(node(n.parents().get(0)));
                default -> Activation.LINEAR;
            };
        }

        boolean hasConsumer(String name) {
            return nodes.stream().anyMatch(n -> n.parents().contains(name));
        }

        /** {@code n} and every node that depends on it. */
        Set<String> descendants(String n) {
            Set<String> out = new HashSet<>(Set.of(n));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (Node m : nodes) {
                    if (m.parents().stream().anyMatch(out::contains) && out.add(m.name())) {
                        grew = true;
                    }
                }
            }
            return out;
        }

        /** How many paths lead from {@code from} down to {@code to} (1 from a node to itself). */
        long paths(String from, String to) {
            if (from.equals(to)) {
                return 1;
            }
            return nodes.stream().filter(n -> n.parents().contains(from)).mapToLong(n -> paths(n.name(), to)).sum();
        }

        /** The nearest node at or above {@code n} that is not an ActivationLayer or a Dropout. */
        String base(Node n) {
            return n.kind().equals("ActivationLayer") || n.kind().equals("Dropout") ? base(node(n.parents().get(0)))
                    : n.name();
        }
    }

    private static final double[] RATES = {0.0, 0.1, 0.25, 0.5};

    private RandomModels() {
    }

    static Model valid(String name, SplittableRandom r) {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node("x", "Input", List.of(), 2 + r.nextInt(4), null, false, false, 0, null));
        int count = 1 + r.nextInt(7);
        String unfed = null; // a second input that nothing consumes yet
        for (int i = 1; i <= count || unfed != null; i++) {
            Model m = new Model(name, nodes);
            double k = r.nextDouble();
            Activation a = Activation.values()[r.nextInt(Activation.values().length)];
            if (i > 1 && unfed == null && m.inputs().size() < 2 && r.nextInt(8) == 0) {
                nodes.add(new Node("x" + i, "Input", List.of(), 1 + r.nextInt(5), null, false, false, 0, null));
                unfed = "x" + i;
                continue;
            }
            if (k < 0.3) {
                List<String> ps = mergeParents(m, r, unfed);
                if (ps != null) {
                    String kind = mergeKind(m, ps, r);
                    nodes.add(new Node("n" + i, kind, ps, 0, null, false, false, 0, null));
                    unfed = ps.contains(unfed) ? null : unfed;
                    continue;
                }
            }
            String parent = unfed != null ? unfed : nodes.get(r.nextInt(nodes.size())).name();
            unfed = null;
            if (k < 0.55) {
                nodes.add(new Node("n" + i, "Dense", List.of(parent), 1 + r.nextInt(5), a, r.nextInt(5) > 0,
                        r.nextInt(10) > 0, 0, null));
            } else if (k < 0.8) {
                nodes.add(new Node("n" + i, "ActivationLayer", List.of(parent), 0, a, false, false, 0, null));
            } else {
                nodes.add(new Node("n" + i, "Dropout", List.of(parent), 0, null, false, false,
                        RATES[r.nextInt(RATES.length)], null));
            }
        }
        Model m = new Model(name, nodes);
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            boolean output = !n.kind().equals("Input") && (!m.hasConsumer(n.name()) || r.nextInt(7) == 0);
            out.add(output ? n.withLoss(loss(m, n, r)) : n);
        }
        return new Model(name, out);
    }

    /**
     * 2-3 distinct earlier nodes to merge, all of one width (a Concatenate is picked for any other set, see
     * {@link #mergeKind}), including {@code must} when it is not null; null when there are not two nodes.
     */
    private static List<String> mergeParents(Model m, SplittableRandom r, String must) {
        List<String> all = new ArrayList<>(m.nodes().stream().map(Node::name).toList());
        if (all.size() < 2) {
            return null;
        }
        List<String> ps = new ArrayList<>();
        ps.add(must != null ? must : all.get(r.nextInt(all.size())));
        int want = 2 + r.nextInt(2);
        boolean sameWidth = r.nextInt(4) > 0;
        int width = m.units(m.node(ps.get(0)));
        List<String> pool = new ArrayList<>(all.stream().filter(n -> !ps.contains(n)
                && (!sameWidth || m.units(m.node(n)) == width)).toList());
        while (ps.size() < want && !pool.isEmpty()) {
            ps.add(pool.remove(r.nextInt(pool.size())));
        }
        if (ps.size() < 2) {
            ps.add(all.stream().filter(n -> !ps.contains(n)).toList().get(0));
        }
        // shuffle so that the required node is not always first
        for (int i = ps.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            ps.set(i, ps.set(j, ps.get(i)));
        }
        return ps;
    }

    /** A merge that fits its parents: Concatenate unless they agree in width. */
    private static String mergeKind(Model m, List<String> ps, SplittableRandom r) {
        Set<Integer> widths = new HashSet<>();
        Set<String> bases = new HashSet<>();
        for (String p : ps) {
            widths.add(m.units(m.node(p)));
            bases.add(m.base(m.node(p)));
        }
        if (widths.size() > 1 || r.nextInt(5) == 0) {
            return "Concatenate";
        }
        List<String> kinds = new ArrayList<>(List.of("Add", "Multiply", "Average"));
        if (ps.size() == 2) {
            kinds.add("Subtract");
        }
        // Maximum/Minimum of two views of one value (x and relu(x), x and Dropout(x)) tie exactly, where finite
        // differences cannot agree with any subgradient: only over parents with distinct bases
        if (bases.size() == ps.size()) {
            kinds.add("Maximum");
            kinds.add("Minimum");
        }
        return kinds.get(r.nextInt(kinds.size()));
    }

    /** A loss that fits what {@code n} ends in, so that no check has anything to say. */
    static Loss loss(Model m, Node n, SplittableRandom r) {
        Activation a = m.endsIn(n);
        int units = m.units(n);
        Loss[] regression = {Loss.MEAN_SQUARED_ERROR, Loss.MEAN_ABSOLUTE_ERROR, Loss.HUBER};
        if (a == Activation.SOFTMAX && units >= 2) {
            Loss[] ls = {Loss.CATEGORICAL_CROSSENTROPY, Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Loss.MEAN_SQUARED_ERROR};
            return ls[r.nextInt(ls.length)];
        }
        if (a == Activation.SIGMOID || a == Activation.HARD_SIGMOID) {
            return r.nextBoolean() ? Loss.BINARY_CROSSENTROPY : Loss.MEAN_SQUARED_ERROR;
        }
        return regression[r.nextInt(regression.length)];
    }

    /** A node's method declaration without annotations, e.g. {@code "    Tensor s(Tensor a, Tensor b);"}. */
    static String head(Node n) {
        return "    Tensor " + n.name() + "(" + String.join(", ", n.parents().stream().map(p -> "Tensor " + p).toList())
                + ");";
    }

    static String source(String pkg, Model m) {
        StringBuilder s = new StringBuilder("package " + pkg + ";\n\nimport dev.kiln.dsl.*;\n\n@Model\ninterface "
                + m.name() + " {\n");
        for (Node n : m.nodes()) {
            s.append("    ").append(annotation(m, n)).append('\n');
            if (n.loss() != null) {
                s.append("    @Output(loss = Loss.").append(n.loss()).append(")\n");
            }
            s.append(head(n)).append("\n\n");
        }
        return s.append("}\n").toString();
    }

    static String annotation(Model m, Node n) {
        return switch (n.kind()) {
            case "Input" -> "@Input(shape = " + n.units() + ")";
            case "Dense" -> "@Dense(units = " + n.units() + ", activation = Activation." + n.activation()
                    + ", useBias = " + n.bias() + ", trainable = " + n.trainable() + ")";
            case "ActivationLayer" -> "@ActivationLayer(Activation." + n.activation() + ")";
            case "Dropout" -> "@Dropout(rate = " + n.rate() + ")";
            default -> {
                if (!n.merge()) {
                    throw new AssertionError(n.kind());
                }
                yield "@" + n.kind();
            }
        };
    }

    /** A single mistake in a valid model: the source with it, and the one diagnostic it must give. */
    record Mutant(String kind, String source, String rule) {
    }

    static final List<String> MUTATIONS = List.of("renamedParameter", "illegalValue", "cycle", "noOutput",
            "droppedOutput", "twoAnnotations", "noAnnotation", "notTensor", "body");

    static Mutant mutate(String pkg, Model m, String mutation, SplittableRandom r) {
        List<Node> inner = m.nodes().stream().filter(n -> !n.kind().equals("Input")).toList();
        Node k = inner.get(r.nextInt(inner.size()));
        String plain = source(pkg, m);
        String head = head(k);
        int slot = r.nextInt(k.parents().size());
        String one = k.parents().get(slot);
        switch (mutation) {
            case "renamedParameter":
                return new Mutant(mutation, plain.replace(head, head.replace("Tensor " + one + ",", "Tensor zz" + one
                        + ",").replace("Tensor " + one + ")", "Tensor zz" + one + ")")), "kiln/UnknownInput");
            case "illegalValue": {
                List<Node> dense = inner.stream().filter(n -> n.kind().equals("Dense")).toList();
                List<Node> drop = inner.stream().filter(n -> n.kind().equals("Dropout")).toList();
                Model broken;
                if (!dense.isEmpty()) {
                    Node d = dense.get(r.nextInt(dense.size()));
                    broken = replace(m, d, d.withUnits(-r.nextInt(3)));
                } else if (!drop.isEmpty()) {
                    Node d = drop.get(r.nextInt(drop.size()));
                    broken = replace(m, d, d.withRate(r.nextBoolean() ? 1.0 : -0.5));
                } else {
                    Node x = m.nodes().get(0);
                    broken = replace(m, x, x.withUnits(0));
                }
                return new Mutant(mutation, source(pkg, broken), "kiln/IllegalAttribute");
            }
            case "cycle": {
                // only nodes reached from k along one path: with two paths (k -> a -> j, k -> b -> j) the one edit
                // closes two cycles, and the processor reports each of them (two kiln/Cycle diagnostics)
                List<String> below = new ArrayList<>(m.descendants(k.name()).stream()
                        .filter(j -> m.paths(k.name(), j) == 1).toList());
                below.sort(null);
                String j = below.get(r.nextInt(below.size()));
                List<String> ps = new ArrayList<>(k.parents());
                ps.set(slot, j); // j is below k, so not already one of its parents
                return new Mutant(mutation, source(pkg, replace(m, k, k.withParents(ps))), "kiln/Cycle");
            }
            case "noOutput":
                return new Mutant(mutation, plain.replaceAll("    @Output\\(loss = Loss\\.\\w+\\)\n", ""),
                        "kiln/NoOutput");
            case "droppedOutput": {
                List<Node> leaves = m.outputs().stream().filter(n -> !m.hasConsumer(n.name())).toList();
                if (m.outputs().size() < 2 || leaves.isEmpty()) {
                    return mutate(pkg, m, "noOutput", r);
                }
                Node leaf = leaves.get(r.nextInt(leaves.size()));
                return new Mutant(mutation, source(pkg, replace(m, leaf, leaf.withLoss(null))), "kiln/UnusedNode");
            }
            case "twoAnnotations":
                return new Mutant(mutation, plain.replace(head, (k.kind().equals("Dropout") ? "    @Dense(units = 2)\n"
                        : "    @Dropout(rate = 0.5)\n") + head), "kiln/LayerAnnotation");
            case "noAnnotation": {
                String output = k.loss() == null ? "" : "    @Output(loss = Loss." + k.loss() + ")\n";
                String block = "    " + annotation(m, k) + "\n" + output + head;
                return new Mutant(mutation, plain.replace(block, output + head), "kiln/LayerAnnotation");
            }
            case "notTensor":
                return new Mutant(mutation, plain.replace(head, head.replace("Tensor " + one + ",", "int " + one + ",")
                        .replace("Tensor " + one + ")", "int " + one + ")")), "kiln/NotTensor");
            case "body":
                return new Mutant(mutation, plain.replace(head, "    default " + head.substring(4, head.length() - 1)
                        + " {\n        return null;\n    }"), "kiln/MethodBody");
            default:
                throw new AssertionError(mutation);
        }
    }

    private static Model replace(Model m, Node old, Node now) {
        List<Node> nodes = new ArrayList<>(m.nodes());
        nodes.set(nodes.indexOf(old), now);
        return new Model(m.name(), nodes);
    }
}
