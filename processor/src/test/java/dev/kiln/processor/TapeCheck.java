package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.DType;
import dev.kiln.dsl.Loss;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.Tape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A float64 model's {@link Tape} against what it must equal: {@code backwardFromLoss} gives {@code computeGradients}'s
 * loss and weight gradients, and the inputs' gradients match central finite differences of the loss; {@code backward}
 * seeded with random output gradients {@code G} gives the gradients of {@code sum(G * output)}, checked by finite
 * differences for inputs and weights. Layer tests reach it through {@link LayerTesting#assertGradientsMatch}, so every
 * layer's input-gradient code (which training never runs) is checked.
 */
final class TapeCheck {
    private static final double H = 1e-6;
    private static final int PROBES = 12;

    private TapeCheck() {
    }

    static void assertTapeMatches(KilnModel model, INDArray[] x, INDArray[] y, String label) {
        ModelSpec spec = model.spec();
        Map<String, INDArray> inputs = byName(model.inputNames(), x);
        Map<String, INDArray> targets = new LinkedHashMap<>();
        for (int i = 0; i < spec.outputs().size(); i++) {
            if (spec.outputs().get(i).spec().loss() != Loss.NONE) {
                targets.put(spec.outputs().get(i).spec().name(), y[i]);
            }
        }
        boolean hasLoss = !targets.isEmpty();
        SplittableRandom random = new SplittableRandom(label.hashCode() * 31L);

        if (hasLoss) {
            double expectedLoss = model.computeGradients(x, y, false).loss();
            Map<String, INDArray> expected = model.gradients();
            Tape.Gradients g = model.tape(inputs, false).backwardFromLoss(targets);
            assertEquals(expectedLoss, g.loss(), 1e-12, label + ": the tape's loss");
            for (Map.Entry<String, INDArray> e : g.weights().entrySet()) {
                assertTrue(expected.get(e.getKey()).equalsWithEps(e.getValue(), 1e-10),
                        () -> label + ": the tape's gradient of " + e.getKey() + " differs from computeGradients'");
            }
            assertInputGradients(model, x, g, random, label + " (from the loss)",
                    shifted -> model.testStep(shifted, y).loss());
        }

        Map<String, INDArray> seeds = new LinkedHashMap<>();
        INDArray[] outputs = model.predictBatch(x);
        for (int i = 0; i < outputs.length; i++) {
            seeds.put(spec.outputs().get(i).spec().name(), FunctionalApiTest.uniform(random, outputs[i].shape()));
        }
        Tape.Gradients g = model.tape(inputs, false).backward(seeds);
        assertTrue(Double.isNaN(g.loss()), label + ": a seeded backward has no loss");
        java.util.function.Function<INDArray[], Double> seeded = shifted -> {
            INDArray[] out = model.predictBatch(shifted);
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                sum += out[i].mul(seeds.get(spec.outputs().get(i).spec().name())).sumNumber().doubleValue();
            }
            return sum;
        };
        assertInputGradients(model, x, g, random, label + " (seeded)", seeded);
        INDArray params = model.parameterBuffer();
        List<ModelSpec.VariableSpec> vars = spec.variables();
        long offset = 0;
        for (ModelSpec.VariableSpec v : vars) {
            if (v.trainable()) {
                INDArray grad = g.weights().get(v.name()).reshape(v.length());
                for (int p = 0; p < Math.min(PROBES, v.length()); p++) {
                    long k = random.nextLong(v.length());
                    double keep = params.getDouble(offset + k);
                    params.putScalar(offset + k, keep + H);
                    double up = seeded.apply(x);
                    params.putScalar(offset + k, keep - H);
                    double down = seeded.apply(x);
                    params.putScalar(offset + k, keep);
                    assertClose((up - down) / (2 * H), grad.getDouble(k), label + " (seeded): d/d" + v.name() + "[" + k
                            + "]");
                }
            }
            offset += v.length();
        }
    }

    private static void assertInputGradients(KilnModel model, INDArray[] x, Tape.Gradients g, SplittableRandom random,
            String label, java.util.function.Function<INDArray[], Double> loss) {
        List<ModelSpec.InputSpec> specs = model.spec().inputs();
        for (int i = 0; i < specs.size(); i++) {
            String name = specs.get(i).name();
            if (specs.get(i).dtype() == DType.INT32) {
                assertTrue(!g.inputs().containsKey(name), label + ": ids have no gradient");
                continue;
            }
            INDArray dx = g.inputs().get(name);
            assertNotNull(dx, label + ": no gradient for input " + name);
            assertTrue(java.util.Arrays.equals(x[i].shape(), dx.shape()), label + ": shape of d" + name);
            INDArray flat = dx.reshape(dx.length());
            for (int p = 0; p < Math.min(PROBES, x[i].length()); p++) {
                long k = random.nextLong(x[i].length());
                INDArray[] shifted = x.clone();
                shifted[i] = x[i].dup('c');
                INDArray view = shifted[i].reshape(shifted[i].length());
                double keep = view.getDouble(k);
                view.putScalar(k, keep + H);
                double up = loss.apply(shifted);
                view.putScalar(k, keep - H);
                double down = loss.apply(shifted);
                assertClose((up - down) / (2 * H), flat.getDouble(k), label + ": d/d" + name + "[" + k + "]");
            }
        }
    }

    private static void assertClose(double numeric, double analytic, String what) {
        double tolerance = 1e-5 * Math.max(1, Math.abs(numeric)) + 1e-7;
        assertEquals(numeric, analytic, tolerance, what + ": finite differences " + numeric + ", tape " + analytic);
    }

    private static Map<String, INDArray> byName(List<String> names, INDArray[] arrays) {
        Map<String, INDArray> out = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), arrays[i]);
        }
        return out;
    }
}
