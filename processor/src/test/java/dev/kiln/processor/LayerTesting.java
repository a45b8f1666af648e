package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.layer.LayerKind;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.GradientCheck;
import dev.kiln.runtime.reference.ReferenceInterpreter;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What a layer's tests share: compile models, prove a model's gradients, run one sample through it. */
public final class LayerTesting {
    private LayerTesting() {
    }

    /** Compiles (qualified name, source) pairs, which must succeed without warnings, and loads the classes. */
    public static ClassLoader compile(String... namesAndSources) {
        Compilation compilation = ModelCompiler.compile(namesAndSources);
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics()::toString);
        assertEquals(0, compilation.warnings().size(), compilation.warnings()::toString);
        return ModelCompiler.loader(compilation);
    }

    /** A float64 instance of {@code generatedClass}. */
    public static KilnModel model(ClassLoader loader, String generatedClass) {
        return ModelCompiler.create(loader, generatedClass, 5, DataType.DOUBLE);
    }

    /**
     * With random weights, inputs and targets: the model's gradients match central finite differences, and its loss,
     * outputs and gradients match the {@link ReferenceInterpreter}'s, in float64.
     */
    public static void assertGradientsMatch(KilnModel model, String label) {
        assertGradientsMatch(model, label, Map.of());
    }

    /**
     * As {@link #assertGradientsMatch(KilnModel, String)}, with the inputs in {@code given} (by name, a batch of
     * {@link #BATCH}) as given, e.g. ids with a sequence of padding only; the others random.
     */
    public static void assertGradientsMatch(KilnModel model, String label, Map<String, INDArray> given) {
        SplittableRandom random = new SplittableRandom(label.hashCode());
        Map<String, INDArray> weights = model.getWeights();
        // any values, but a variance stays positive (BatchNormalization's moving_variance)
        weights.replaceAll((k, w) -> k.endsWith("variance") ? FunctionalApiTest.uniform(random, w.shape()).addi(2)
                : FunctionalApiTest.uniform(random, w.shape()));
        model.setWeights(weights);
        int batch = BATCH;
        INDArray[] x = model.spec().inputs().stream()
                .map(in -> given.containsKey(in.name()) ? given.get(in.name())
                        : in.dtype().ids() ? ids(random, batched(batch, in.shape()))
                        : FunctionalApiTest.uniform(random, batched(batch, in.shape())))
                .toArray(INDArray[]::new);
        INDArray[] y = model.spec().outputs().stream()
                .map(o -> FunctionalApiTest.target(o, model.spec(), batch, random)).toArray(INDArray[]::new);

        GradientCheck.Result r = GradientCheck.check(model, x, y, 40, 1e-6, 3);
        assertTrue(r.passed(), () -> label + ": " + r.failures());

        ReferenceInterpreter ref = new ReferenceInterpreter(model.spec(), model.getWeights());
        Map<String, INDArray> expected = new HashMap<>();
        double loss = model.computeGradients(x, y, false).loss();
        assertEquals(ref.lossAndGradients(x, y, expected), loss, 1e-9, label + " loss");
        INDArray[] predicted = model.predictBatch(x);
        INDArray[] referencePredicted = ref.predict(x);
        for (int i = 0; i < predicted.length; i++) {
            assertTrue(referencePredicted[i].equalsWithEps(predicted[i], 1e-10), label + " output " + i);
        }
        Map<String, INDArray> actual = model.gradients();
        for (dev.kiln.runtime.ModelSpec.VariableSpec v : model.spec().variables()) {
            if (!v.trainable()) {
                expected.remove(v.name()); // frozen: the model computes no gradient, the reference does
            }
        }
        for (String k : expected.keySet()) {
            assertTrue(expected.get(k).equalsWithEps(actual.get(k), 1e-9), () -> label + " gradient " + k);
        }
        TapeCheck.assertTapeMatches(model, x, y, label);
        assertNodeValuesMatch(model, ref, x, label);
    }

    /** The batch size of {@link #assertGradientsMatch}'s inputs. */
    public static final int BATCH = 3;

    /** {@code predictNodes} gives every node's value as the reference computes it (feature extraction). */
    static void assertNodeValuesMatch(KilnModel model, ReferenceInterpreter ref, INDArray[] x, String label) {
        Map<String, INDArray> expected = ref.forward(x);
        String[] names = model.spec().nodes().stream().map(n -> n.name()).toArray(String[]::new);
        Map<String, INDArray> inputs = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            inputs.put(model.inputNames().get(i), x[i]);
        }
        Map<String, INDArray> actual = model.predictNodes(inputs, names);
        for (String name : names) {
            INDArray e = expected.get(name);
            INDArray a = actual.get(name);
            assertTrue(e.castTo(a.dataType()).equalsWithEps(a, 1e-10), () -> label + ": node " + name
                    + " from predictNodes " + a + ", the reference " + e);
        }
    }

    /** A batch of {@code shape}, an open axis ({@code Input.NONE}) given length 4. */
    static long[] batched(int batch, long[] shape) {
        long[] out = FunctionalApiTest.batched(batch, shape);
        for (int i = 1; i < out.length; i++) {
            out[i] = out[i] < 0 ? 4 : out[i];
        }
        return out;
    }

    /** Int32 ids from 0 to {@code LayerKind.Example.IDS - 1}. */
    static INDArray ids(SplittableRandom random, long[] shape) {
        INDArray a = Nd4j.create(DataType.INT32, shape);
        for (int i = 0; i < a.length(); i++) {
            a.putScalar(i, random.nextInt(LayerKind.Example.IDS));
        }
        return a;
    }

    /**
     * The float32 instance of {@code generatedClass} agrees with the float64 one on the same random weights and batch:
     * predictions to 1e-5, every gradient to 1e-4. A float32 model runs the fast kernels (oneDNN, striped GEMMs), a
     * float64 one ND4J's and Kiln's plain loops, so this holds the fast paths to the exact ones.
     */
    public static void assertFloat32MatchesFloat64(ClassLoader loader, String generatedClass, long[] inputShape,
            long[] targetShape) {
        KilnModel f64 = model(loader, generatedClass);
        KilnModel f32 = ModelCompiler.create(loader, generatedClass, 5, DataType.FLOAT);
        SplittableRandom random = new SplittableRandom(3);
        Map<String, INDArray> w = f64.getWeights();
        w.replaceAll((k, v) -> Nd4j.create(random.doubles(v.length(), -1, 1).toArray(), v.shape(), 'c'));
        f64.setWeights(w);
        Map<String, INDArray> w32 = new HashMap<>();
        w.forEach((k, v) -> w32.put(k, v.castTo(DataType.FLOAT)));
        f32.setWeights(w32);
        INDArray x = FunctionalApiTest.uniform(random, inputShape);
        INDArray y = FunctionalApiTest.uniform(random, targetShape);
        f64.computeGradients(new INDArray[] {x}, new INDArray[] {y}, false);
        f32.computeGradients(new INDArray[] {x.castTo(DataType.FLOAT)}, new INDArray[] {y.castTo(DataType.FLOAT)},
                false);
        INDArray p64 = f64.predictBatch(new INDArray[] {x})[0];
        INDArray p32 = f32.predictBatch(new INDArray[] {x.castTo(DataType.FLOAT)})[0];
        assertTrue(p64.equalsWithEps(p32.castTo(DataType.DOUBLE), 1e-5), p64 + " vs " + p32);
        Map<String, INDArray> g64 = f64.gradients();
        Map<String, INDArray> g32 = f32.gradients();
        for (String k : g64.keySet()) {
            assertTrue(g64.get(k).equalsWithEps(g32.get(k).castTo(DataType.DOUBLE), 1e-4), () -> k + ": " + g64.get(k)
                    + " vs " + g32.get(k));
        }
    }

    /** The model's first output for one sample of {@code values} in {@code shape} (without the batch axis). */
    public static double[] predictOne(KilnModel model, double[] values, long... shape) {
        long[] batched = new long[shape.length + 1];
        batched[0] = 1;
        System.arraycopy(shape, 0, batched, 1, shape.length);
        INDArray x = Nd4j.create(values, batched, 'c');
        return model.predictBatch(new INDArray[] {x})[0].dup('c').data().asDouble();
    }
}
