package dev.kiln.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.dsl.DType;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.dsl.Reduction;
import dev.kiln.dsl.summary.SummaryTable;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.layer.RuntimeConfig;
import dev.kiln.processor.plan.Plan;
import java.util.List;

/**
 * Writes the {@code SPEC} constant: the model as data, for the runtime's checks, summary, weights and files. Each node
 * is one line with its typed config, as the plan gives it.
 */
final class SpecWriter {
    private SpecWriter() {
    }

    static CodeBlock write(Plan plan) {
        CodeBlock.Builder b = CodeBlock.builder();
        var decl = plan.graph().decl();
        b.add("$T.builder($S, $S, $S)\n", ModelEmitter.MODEL_SPEC, decl.qualifiedName(), decl.interfaceName(),
                plan.hash());
        b.indent().indent();
        if (!decl.displayName().equals(decl.interfaceName())) {
            b.add(".displayName($S)\n", decl.displayName());
        }
        for (Plan.InputField in : plan.inputs()) {
            b.add(".input($S, $T.$L, $L)\n", in.node().name(), DType.class, in.node().decl().constant("dtype"),
                    dims(in.node().shape().dims()));
        }
        for (Plan.LiveNode live : plan.nodes()) {
            Node n = live.node();
            CodeBlock weights = n.weights().equals(n.name()) ? CodeBlock.of("") : CodeBlock.of("$S, ", n.weights());
            b.add(".node($S, $L, $L, new long[] {$L}, $L$L)\n", n.name(), config(live.config()), names(n.inputs()),
                    dims(n.shape().dims()), weights, live.params());
        }
        for (Plan.LiveNode live : plan.nodes()) {
            if (live.inputMask() != null) {
                b.add(".inputMask($S, $S)\n", live.node().name(), live.inputMask());
            }
        }
        for (SummaryTable.Nested n : SummaryRows.nested(plan)) {
            b.add(".nested($S, $S, $L, $L, $L, $L)\n", n.name(), n.modelName(), names(n.inputs()),
                    names(n.members()), names(n.innerNames()), names(n.outputs()));
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
            if (o.node().output().explicit().contains("huberDelta")) {
                b.add(".outputHuber($S, $L, $L$L)\n", o.node().name(), o.node().output().real("huberDelta"),
                        o.node().output().real("lossWeight"), metrics.build());
            } else if (o.node().output().flag("fromLogits")) {
                b.add(".outputFromLogits($S, $T.$L, $L$L)\n", o.node().name(), Loss.class,
                        o.node().output().constant("loss"), o.node().output().real("lossWeight"), metrics.build());
            } else {
                b.add(".output($S, $T.$L, $L, $L$L)\n", o.node().name(), Loss.class, o.node().output().constant("loss"),
                        o.node().output().real("lossWeight"), o.fused(), metrics.build());
            }
            if (o.node().output().explicit().contains("reduction")) {
                b.add(".reduction($T.$L)\n", Reduction.class, o.node().output().constant("reduction"));
            }
        }
        b.add(".build()");
        b.unindent().unindent();
        return b.build();
    }

    /** {@code new DenseConfig(64).withActivation(Activation.RELU)}. */
    private static CodeBlock config(RuntimeConfig config) {
        CodeBlock.Builder b = CodeBlock.builder().add("new $T(", ClassName.get(RuntimeConfig.PACKAGE,
                config.simpleName()));
        for (int i = 0; i < config.arguments().size(); i++) {
            b.add(i == 0 ? "" : ", ").add(Passes.argument(config.arguments().get(i)));
        }
        b.add(")");
        for (RuntimeConfig.Setting s : config.settings()) {
            b.add(".with$L($L)", Character.toUpperCase(s.name().charAt(0)) + s.name().substring(1),
                    Passes.argument(s.value()));
        }
        return b.build();
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
}
