package dev.kiln.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.kiln.processor.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/** The typed public surface of a generated model: create, load, predict and trainOnBatch named after the nodes. */
final class Api {
    private static final ClassName LOAD_OPTION = ClassName.get("dev.kiln.runtime.io", "LoadOption");

    private Api() {
    }

    static void add(TypeSpec.Builder type, Plan plan, ClassName self) {
        type.addMethod(MethodSpec.methodBuilder("create")
                .addJavadoc("A new model in float32, weights drawn by the Keras initializers from {@code seed}.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(long.class, "seed")
                .addStatement("return new $T(seed, $T.FLOAT)", self, ModelEmitter.DATA_TYPE)
                .build());
        type.addMethod(MethodSpec.methodBuilder("create")
                .addJavadoc("A new model in {@code dataType} ({@code FLOAT}, or {@code DOUBLE} for gradient checks).\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(long.class, "seed")
                .addParameter(ModelEmitter.DATA_TYPE, "dataType")
                .addStatement("return new $T(seed, dataType)", self)
                .build());
        type.addMethod(MethodSpec.methodBuilder("on")
                .addJavadoc("""
                        This model on the weights of {@code owner}'s node {@code node}, a {@code @Nested} application of
                        this model: the same weights, not a copy, as Keras's {@code encoder = Model(x, encoded)} on an
                        autoencoder's layers. It predicts with what {@code owner} has learned, follows its training,
                        and a step of its own moves {@code owner}'s weights. It shares {@code owner}'s lock: one trains
                        while the other waits.
                        @throws IllegalArgumentException when {@code node} does not apply this model in {@code owner}
                        """)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(ModelEmitter.KILN_MODEL, "owner")
                .addParameter(String.class, "node")
                .addStatement("return new $T(owner, node)", self)
                .build());
        type.addMethod(MethodSpec.methodBuilder("load")
                .addJavadoc("The model saved at {@code file} by {@link #save}: weights, optimizer and its state.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(ModelEmitter.PATH, "file")
                .addStatement("return restore(file, dataType -> new $T(0, dataType))", self)
                .build());
        type.addMethod(MethodSpec.methodBuilder("load")
                .addJavadoc("As {@link #load(Path)}, with {@code options}: {@code ALLOW_NON_FINITE} loads NaN or"
                        + " infinite weights,\nwhich are refused by default.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(ModelEmitter.PATH, "file")
                .addParameter(ArrayTypeName.of(LOAD_OPTION), "options")
                .varargs()
                .addStatement("return restore(file, dataType -> new $T(0, dataType), options)", self)
                .build());

        List<ParameterSpec> inputs = new ArrayList<>();
        for (Plan.InputField in : plan.inputs()) {
            inputs.add(ParameterSpec.builder(ModelEmitter.INDARRAY, in.field()).build());
        }
        CodeBlock inputArray = array(inputs);
        boolean single = plan.outputs().size() == 1;
        TypeName result = ModelEmitter.INDARRAY;
        if (!single) {
            ClassName outputsType = self.nestedClass("Outputs");
            TypeSpec.Builder record = TypeSpec.recordBuilder(outputsType)
                    .addModifiers(Modifier.PUBLIC)
                    .addJavadoc("The model's outputs, in declaration order.\n");
            MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
            for (Plan.OutputBinding o : plan.outputs()) {
                ctor.addParameter(ModelEmitter.INDARRAY, o.node().name());
            }
            record.recordConstructor(ctor.build());
            type.addType(record.build());
            result = outputsType;
        }
        MethodSpec.Builder predict = MethodSpec.methodBuilder("predict")
                .addJavadoc("Runs the model on one batch (batch axis first) in inference mode; the result is new.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(result)
                .addParameters(inputs);
        if (single) {
            predict.addStatement("return predictArrays($L)[0]", inputArray);
        } else {
            predict.addStatement("$T[] out = predictArrays($L)", ModelEmitter.INDARRAY, inputArray);
            CodeBlock.Builder args = CodeBlock.builder();
            for (int i = 0; i < plan.outputs().size(); i++) {
                args.add(i == 0 ? "out[$L]" : ", out[$L]", i);
            }
            predict.addStatement("return new $T($L)", result, args.build());
        }
        type.addMethod(predict.build());

        List<ParameterSpec> targets = new ArrayList<>();
        List<String> used = new ArrayList<>();
        inputs.forEach(p -> used.add(p.name()));
        for (Plan.OutputBinding o : plan.outputs()) {
            String name = o.node().name() + "Target";
            while (used.contains(name)) {
                name = name + "_";
            }
            used.add(name);
            targets.add(ParameterSpec.builder(ModelEmitter.INDARRAY, name).build());
        }
        type.addMethod(MethodSpec.methodBuilder("trainOnBatch")
                .addJavadoc("One optimizer step on one batch; returns the loss before the step. A non-finite loss or"
                        + " gradient\nleaves the weights unchanged and throws, naming the input or target to blame.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(double.class)
                .addParameters(inputs)
                .addParameters(targets)
                .addStatement("return trainArrays($L, $L)", inputArray, array(targets))
                .build());
    }

    private static CodeBlock array(List<ParameterSpec> params) {
        CodeBlock.Builder b = CodeBlock.builder().add("new $T[] {", ModelEmitter.INDARRAY);
        for (int i = 0; i < params.size(); i++) {
            b.add(i == 0 ? "$N" : ", $N", params.get(i).name());
        }
        return b.add("}").build();
    }
}
