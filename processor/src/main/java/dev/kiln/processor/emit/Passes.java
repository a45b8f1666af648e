package dev.kiln.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.kiln.processor.layer.Arg;
import dev.kiln.processor.layer.Call;
import dev.kiln.processor.plan.Plan;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes the forward and backward passes: one commented block per node, one line per kernel call. */
final class Passes {
    private Passes() {
    }

    static MethodSpec forward(Plan plan) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED)
                .addParameter(com.palantir.javapoet.ArrayTypeName.of(ModelEmitter.INDARRAY), "inputs")
                .addParameter(boolean.class, "training");
        for (Plan.InputField in : plan.inputs()) {
            m.addStatement("$N = inputs[$L]", in.field(), in.index());
        }
        for (Plan.Block b : plan.forward()) {
            m.addCode("\n");
            m.addCode(block(b, "training"));
        }
        m.addCode("\n");
        for (int i = 0; i < plan.outputs().size(); i++) {
            m.addStatement("outputs[$L] = $N", i, plan.outputs().get(i).valueField());
            if (plan.outputs().get(i).logitsField() != null) {
                m.addStatement("outputLogits[$L] = $N", i, plan.outputs().get(i).logitsField());
            }
        }
        return m.build();
    }

    static MethodSpec backward(Plan plan) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("backward")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED);
        m.addComment("reverse topological order; the loss has written each output's gradient");
        for (Plan.OutputBinding o : plan.outputs()) {
            if (o.fused()) {
                m.addComment("$L: softmax/sigmoid and cross-entropy fused, $L is the gradient before the activation",
                        o.node().name(), o.gradientField());
            }
        }
        for (Plan.Block b : plan.backward()) {
            m.addCode(block(b, "training()"));
        }
        return m.build();
    }

    static MethodSpec backwardToInputs(Plan plan) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("backwardToInputs")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED);
        m.addComment("a tape's backward: every gradient down to the inputs'; the output gradients are written");
        for (Plan.Block b : plan.backwardToInputs()) {
            m.addCode(block(b, "training()"));
        }
        return m.build();
    }

    private static CodeBlock block(Plan.Block b, String trainingFlag) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (b.note() != null) {
            code.add("// $L\n", b.note());
            return code.build();
        }
        code.add("// $L\n", b.header());
        List<Call> calls = b.calls();
        int i = 0;
        while (i < calls.size()) {
            Call c = calls.get(i);
            if (c.when() == Call.When.ALWAYS) {
                code.add(call(c));
                i++;
                continue;
            }
            code.beginControlFlow("if ($L)", trainingFlag);
            while (i < calls.size() && calls.get(i).when() == Call.When.TRAINING) {
                code.add(call(calls.get(i++)));
            }
            code.nextControlFlow("else");
            while (i < calls.size() && calls.get(i).when() == Call.When.INFERENCE) {
                code.add(call(calls.get(i++)));
            }
            code.endControlFlow();
        }
        return code.build();
    }

    private static CodeBlock call(Call c) {
        CodeBlock.Builder args = CodeBlock.builder();
        for (int i = 0; i < c.args().size(); i++) {
            args.add(i == 0 ? "" : ", ").add(argument(c.args().get(i)));
        }
        ClassName target = ClassName.get(c.target().packageName(), c.target().simpleName());
        return CodeBlock.of("$T.$L($L);  // $L\n", target, c.method(), args.build(), c.comment());
    }

    /** One argument as Java source. */
    static CodeBlock argument(Arg a) {
        if (a instanceof Arg.Ref r) {
            return CodeBlock.of("$N", r.field());
        } else if (a instanceof Arg.Literal l) {
            return CodeBlock.of("$L", l.code());
        } else if (a instanceof Arg.Constant k) {
            return CodeBlock.of("$T.$L", ClassName.get(k.type()), k.name());
        } else if (a instanceof Arg.RuntimeConstant k) {
            return CodeBlock.of("$T.$L", ClassName.get(k.packageName(), k.enclosing(), k.type()), k.name());
        } else if (a instanceof Arg.Text t) {
            return CodeBlock.of("$S", t.value());
        }
        return CodeBlock.of("$L", ((Arg.Base) a).name());
    }
}
