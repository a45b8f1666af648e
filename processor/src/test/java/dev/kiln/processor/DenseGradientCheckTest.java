package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Loss;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.GradientCheck;
import dev.kiln.runtime.reference.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dense with every activation and every loss, on stacks of 1 to 3 layers with and without bias: the generated
 * backward pass agrees with central finite differences in float64 (relative error below 1e-6), and forward and
 * gradients agree with the unoptimized reference interpreter. All models compile in one javac run.
 */
class DenseGradientCheckTest {
    record Case(String name, Activation activation, Loss loss, int depth, boolean bias) {
    }

    static final List<Case> CASES = new ArrayList<>();
    static ClassLoader loader;

    static {
        for (Activation a : Activation.values()) {
            for (Loss l : Loss.values()) {
                if (l == Loss.NONE) {
                    continue;
                }
                for (int depth = 1; depth <= 3; depth++) {
                    boolean bias = depth != 2;
                    CASES.add(new Case("M_" + a + "_" + l + "_" + depth, a, l, depth, bias));
                }
            }
        }
    }

    @BeforeAll
    static void compileAll() {
        List<String> sources = new ArrayList<>();
        for (Case c : CASES) {
            sources.add("grad." + c.name());
            sources.add(source(c));
        }
        Compilation compilation = ModelCompiler.compile(sources.toArray(String[]::new));
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics()::toString);
        assertEquals(0, compilation.warnings().size(), compilation.warnings()::toString);
        loader = ModelCompiler.loader(compilation);
    }

    /** Hidden layers carry the activation under test; the output layer ends in what the loss needs. */
    static String source(Case c) {
        StringBuilder s = new StringBuilder("package grad;\nimport dev.kiln.dsl.*;\n@Model\ninterface " + c.name()
                + " {\n  @Input(shape = 5) Tensor x();\n");
        String prev = "x";
        for (int i = 1; i < c.depth(); i++) {
            s.append("  @Dense(units = ").append(3 + i).append(", activation = Activation.").append(c.activation())
                    .append(", useBias = ").append(c.bias()).append(") Tensor h").append(i).append("(Tensor ").append(prev)
                    .append(");\n");
            prev = "h" + i;
        }
        s.append("  @Dense(units = 4, activation = Activation.").append(outputActivation(c)).append(", useBias = ")
                .append(c.bias()).append(") @Output(loss = Loss.").append(c.loss()).append(") Tensor y(Tensor ")
                .append(prev).append(");\n}\n");
        return s.toString();
    }

    static Activation outputActivation(Case c) {
        switch (c.loss()) {
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY:
                return Activation.SOFTMAX;
            case BINARY_CROSSENTROPY:
                return Activation.SIGMOID;
            default:
                return c.activation();
        }
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferencesAndTheReference(Case c) {
        KilnModel model = ModelCompiler.create(loader, "grad." + c.name() + "Model", 3, DataType.DOUBLE);
        SplittableRandom random = new SplittableRandom(c.name().hashCode());
        INDArray x = Nd4j.create(gaussian(random, 6 * 5), new long[] {6, 5}, 'c').castTo(DataType.DOUBLE);
        INDArray y = targets(c, random);
        // Keras starts biases at zero, which puts a ReLU exactly on its kink when a whole layer below is dead;
        // finite differences are meaningless there, so the check starts from random biases.
        Map<String, INDArray> weights = model.getWeights();
        weights.replaceAll((k, w) -> k.endsWith("/bias")
                ? Nd4j.create(gaussian(random, (int) w.length()), w.shape(), DataType.DOUBLE) : w);
        model.setWeights(weights);

        GradientCheck.Result r = GradientCheck.check(model, new INDArray[] {x}, new INDArray[] {y}, 100, 1e-6, 1);
        assertTrue(r.passed(), () -> c + ": " + r.failures());
        assertTrue(r.compared() > 0);

        // the reference interpreter: same outputs, same loss, same gradients
        ReferenceInterpreter ref = new ReferenceInterpreter(model.spec(), model.getWeights());
        double loss = model.computeGradients(new INDArray[] {x}, new INDArray[] {y}, false).loss();
        Map<String, INDArray> expected = new HashMap<>();
        double refLoss = ref.lossAndGradients(new INDArray[] {x}, new INDArray[] {y}, expected);
        assertEquals(refLoss, loss, 1e-9 * Math.max(1, Math.abs(loss)));
        assertTrue(ref.predict(x)[0].equalsWithEps(model.predictBatch(new INDArray[] {x})[0], 1e-10));
        Map<String, INDArray> actual = model.gradients();
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertTrue(expected.get(k).equalsWithEps(actual.get(k), 1e-9), () -> c + " " + k + ": " + expected.get(k)
                    + " vs " + actual.get(k));
        }
    }

    static INDArray targets(Case c, SplittableRandom random) {
        switch (c.loss()) {
            case SPARSE_CATEGORICAL_CROSSENTROPY: {
                double[] ids = new double[6];
                for (int i = 0; i < 6; i++) {
                    ids[i] = random.nextInt(4);
                }
                return Nd4j.create(ids, new long[] {6}, DataType.DOUBLE);
            }
            case CATEGORICAL_CROSSENTROPY: {
                INDArray t = Nd4j.zeros(DataType.DOUBLE, 6, 4);
                for (int i = 0; i < 6; i++) {
                    t.putScalar(i, random.nextInt(4), 1.0);
                }
                return t;
            }
            case BINARY_CROSSENTROPY: {
                double[] v = new double[24];
                for (int i = 0; i < 24; i++) {
                    v[i] = random.nextInt(2);
                }
                return Nd4j.create(v, new long[] {6, 4}, DataType.DOUBLE);
            }
            default:
                return Nd4j.create(gaussian(random, 24), new long[] {6, 4}, DataType.DOUBLE);
        }
    }

    static double[] gaussian(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble(-1.5, 1.5);
        }
        return v;
    }
}
