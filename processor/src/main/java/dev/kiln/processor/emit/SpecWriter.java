package dev.kiln.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.DType;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Plan;
import java.util.List;
import java.util.Map;

/** Writes the {@code SPEC} constant: the model as data, for the runtime's checks, summary, weights and files. */
final class SpecWriter {
    private static final Map<String, Class<? extends Enum<?>>> ENUMS = Map.of(
            "activation", Activation.class,
            "value", Activation.class,
            "kernelInitializer", Initializer.class,
            "biasInitializer", Initializer.class,
            "dtype", DType.class,
            "loss", Loss.class);

    private SpecWriter() {
    }

    static CodeBlock write(Plan plan) {
        CodeBlock.Builder b = CodeBlock.builder();
        var decl = plan.graph().decl();
        b.add("$T.builder($S, $S, $S)\n", ModelEmitter.MODEL_SPEC, decl.qualifiedName(), decl.interfaceName(),
                plan.hash());
        b.indent().indent();
        for (Plan.InputField in : plan.inputs()) {
            b.add(".input($S, $T.$L, $L)\n", in.node().name(), DType.class, in.node().layer().constant("dtype"),
                    dims(in.node().shape().dims()));
        }
        for (Node n : liveNodes(plan)) {
            b.add(".node($S, $S, $L, new long[] {$L}, $L)\n", n.name(), n.kind().kerasName(), names(n.inputs()),
                    dims(n.shape().dims()), attributes(n));
        }
        for (Plan.Weight w : plan.weights()) {
            b.add(".variable($S, $T.$L, $L, $L)\n", w.name(), Initializer.class, w.variable().initializer().name(),
                    w.variable().trainable(), dims(w.variable().shape().dims()));
        }
        for (Plan.OutputBinding o : plan.outputs()) {
            CodeBlock.Builder metrics = CodeBlock.builder();
            for (Object m : (List<?>) o.node().output().attributes().get("metrics")) {
                metrics.add(", $T.$L", Metric.class, m);
            }
            b.add(".output($S, $T.$L, $L, $L$L)\n", o.node().name(), Loss.class, o.node().output().constant("loss"),
                    o.node().output().real("lossWeight"), o.fused(), metrics.build());
        }
        b.add(".build()");
        b.unindent().unindent();
        return b.build();
    }

    private static List<Node> liveNodes(Plan plan) {
        java.util.Set<String> live = new java.util.HashSet<>();
        plan.inputs().forEach(i -> live.add(i.node().name()));
        plan.buffers().forEach(buf -> live.add(buf.field()));
        return plan.graph().nodes().stream()
                .filter(n -> n.isInput() ? live.contains(n.name()) : plan.forward().stream()
                        .anyMatch(f -> f.header() != null && f.header().startsWith(n.name() + ": ")))
                .toList();
    }

    private static String dims(long[] dims) {
        StringBuilder sb = new StringBuilder();
        for (long d : dims) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d < 0 ? -1 : d);
        }
        return sb.toString();
    }

    private static CodeBlock names(List<String> names) {
        CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", List.class);
        for (int i = 0; i < names.size(); i++) {
            b.add(i == 0 ? "$S" : ", $S", names.get(i));
        }
        return b.add(")").build();
    }

    private static CodeBlock attributes(Node n) {
        CodeBlock.Builder b = CodeBlock.builder().add("$T.attributes(", ModelEmitter.MODEL_SPEC);
        boolean first = true;
        if (!n.weights().equals(n.name())) {
            b.add("$S, $S", "weights", n.weights());
            first = false;
        }
        for (Map.Entry<String, Object> e : n.layer().attributes().entrySet()) {
            b.add(first ? "$S, " : ", $S, ", e.getKey());
            first = false;
            b.add(value(e.getKey(), e.getValue()));
        }
        return b.add(")").build();
    }

    private static CodeBlock value(String key, Object v) {
        Class<? extends Enum<?>> type = ENUMS.get(key);
        if (type != null && v instanceof String s) {
            return CodeBlock.of("$T.$L", ClassName.get(type), s);
        }
        if (v instanceof String s) {
            return CodeBlock.of("$S", s);
        }
        if (v instanceof List<?> list) {
            CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", List.class);
            for (int i = 0; i < list.size(); i++) {
                b.add(i == 0 ? "" : ", ").add(value(key, list.get(i)));
            }
            return b.add(")").build();
        }
        if (v instanceof Long l) {
            return CodeBlock.of("$LL", l);
        }
        return CodeBlock.of("$L", v);
    }
}
