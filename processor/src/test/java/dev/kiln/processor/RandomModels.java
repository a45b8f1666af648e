package dev.kiln.processor;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Loss;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random valid models of the layers that exist (Input, Dense, ActivationLayer, Dropout) and random single mistakes in
 * them, for property tests. A model is a tree grown from one input: each node consumes one earlier node; every leaf
 * is an @Output (so no node is unused), and now and then an inner node is one too. Each output's loss fits what it
 * ends in, so a valid model compiles without a single warning.
 */
final class RandomModels {
    /** One node: {@code parent} is the node it consumes (null for the input); {@code loss} is null unless an output. */
    record Node(String name, String kind, String parent, int units, Activation activation, boolean bias,
            boolean trainable, double rate, Loss loss) {
        Node withParent(String p) {
            return new Node(name, kind, p, units, activation, bias, trainable, rate, loss);
        }

        Node withLoss(Loss l) {
            return new Node(name, kind, parent, units, activation, bias, trainable, rate, l);
        }

        Node withUnits(int u) {
            return new Node(name, kind, parent, u, activation, bias, trainable, rate, loss);
        }

        Node withRate(double r) {
            return new Node(name, kind, parent, units, activation, bias, trainable, r, loss);
        }
    }

    /** A model: its interface name, input width, nodes in declaration order (the input first). */
    record Model(String name, int width, List<Node> nodes) {
        Node node(String n) {
            return nodes.stream().filter(x -> x.name().equals(n)).findFirst().orElseThrow();
        }

        List<Node> outputs() {
            return nodes.stream().filter(n -> n.loss() != null).toList();
        }

        /** Width of a node's last axis. */
        int units(Node n) {
            return switch (n.kind()) {
                case "Input" -> width;
                case "Dense" -> n.units();
                default -> units(node(n.parent()));
            };
        }

        /** The activation a node's output ends in, looking through Dropout as the checks do. */
        Activation endsIn(Node n) {
            return switch (n.kind()) {
                case "Dense", "ActivationLayer" -> n.activation();
                case "Dropout" -> endsIn(node(n.parent()));
                default -> Activation.LINEAR;
            };
        }

        boolean hasConsumer(String name) {
            return nodes.stream().anyMatch(n -> name.equals(n.parent()));
        }

        /** {@code n} and every node that depends on it. */
        Set<String> descendants(String n) {
            Set<String> out = new HashSet<>(Set.of(n));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (Node m : nodes) {
                    if (m.parent() != null && out.contains(m.parent()) && out.add(m.name())) {
                        grew = true;
                    }
                }
            }
            return out;
        }
    }

    private static final double[] RATES = {0.0, 0.1, 0.25, 0.5};

    private RandomModels() {
    }

    static Model valid(String name, SplittableRandom r) {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node("x", "Input", null, 0, null, false, false, 0, null));
        int count = 1 + r.nextInt(7);
        for (int i = 1; i <= count; i++) {
            String parent = nodes.get(r.nextInt(nodes.size())).name();
            double k = r.nextDouble();
            Activation a = Activation.values()[r.nextInt(Activation.values().length)];
            if (k < 0.5) {
                nodes.add(new Node("n" + i, "Dense", parent, 1 + r.nextInt(5), a, r.nextInt(5) > 0, r.nextInt(10) > 0,
                        0, null));
            } else if (k < 0.75) {
                nodes.add(new Node("n" + i, "ActivationLayer", parent, 0, a, false, false, 0, null));
            } else {
                nodes.add(new Node("n" + i, "Dropout", parent, 0, null, false, false, RATES[r.nextInt(RATES.length)],
                        null));
            }
        }
        Model m = new Model(name, 2 + r.nextInt(4), nodes);
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            boolean output = !n.kind().equals("Input") && (!m.hasConsumer(n.name()) || r.nextInt(7) == 0);
            out.add(output ? n.withLoss(loss(m, n, r)) : n);
        }
        return new Model(name, m.width(), out);
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

    static String source(String pkg, Model m) {
        StringBuilder s = new StringBuilder("package " + pkg + ";\n\nimport dev.kiln.dsl.*;\n\n@Model\ninterface "
                + m.name() + " {\n");
        for (Node n : m.nodes()) {
            s.append("    ").append(annotation(m, n)).append('\n');
            if (n.loss() != null) {
                s.append("    @Output(loss = Loss.").append(n.loss()).append(")\n");
            }
            s.append("    Tensor ").append(n.name()).append('(')
                    .append(n.parent() == null ? "" : "Tensor " + n.parent()).append(");\n\n");
        }
        return s.append("}\n").toString();
    }

    static String annotation(Model m, Node n) {
        return switch (n.kind()) {
            case "Input" -> "@Input(shape = " + m.width() + ")";
            case "Dense" -> "@Dense(units = " + n.units() + ", activation = Activation." + n.activation()
                    + ", useBias = " + n.bias() + ", trainable = " + n.trainable() + ")";
            case "ActivationLayer" -> "@ActivationLayer(Activation." + n.activation() + ")";
            case "Dropout" -> "@Dropout(rate = " + n.rate() + ")";
            default -> throw new AssertionError(n.kind());
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
        String head = "    Tensor " + k.name() + "(Tensor " + k.parent() + ");";
        switch (mutation) {
            case "renamedParameter":
                return new Mutant(mutation, plain.replace(head, "    Tensor " + k.name() + "(Tensor zz" + k.parent()
                        + ");"), "kiln/UnknownInput");
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
                    broken = new Model(m.name(), 0, m.nodes());
                }
                return new Mutant(mutation, source(pkg, broken), "kiln/IllegalAttribute");
            }
            case "cycle": {
                List<String> below = new ArrayList<>(m.descendants(k.name()));
                below.sort(null);
                String j = below.get(r.nextInt(below.size()));
                return new Mutant(mutation, source(pkg, replace(m, k, k.withParent(j))), "kiln/Cycle");
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
                return new Mutant(mutation, plain.replace(head, "    Tensor " + k.name() + "(int " + k.parent() + ");"),
                        "kiln/NotTensor");
            case "body":
                return new Mutant(mutation, plain.replace(head, "    default Tensor " + k.name() + "(Tensor "
                        + k.parent() + ") {\n        return null;\n    }"), "kiln/MethodBody");
            default:
                throw new AssertionError(mutation);
        }
    }

    private static Model replace(Model m, Node old, Node now) {
        List<Node> nodes = new ArrayList<>(m.nodes());
        nodes.set(nodes.indexOf(old), now);
        return new Model(m.name(), m.width(), nodes);
    }
}
