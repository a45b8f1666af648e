package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.dsl.Loss;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.GradientCheck;
import dev.kiln.runtime.reference.ReferenceInterpreter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Property tests over random models ({@link RandomModels}), all compiled in one javac run per property:
 * <ul>
 *   <li>every valid model (a DAG with merges, sometimes of two inputs) compiles without a diagnostic; its report's parameter and multiply-add counts agree with a
 *       count over the model's description; its generated backward pass agrees with central finite differences in
 *       float64 and with the reference interpreter;
 *   <li>every single mistake in one of them gives exactly one diagnostic, of the rule it breaks, on its own file, and
 *       never a processor exception.
 * </ul>
 * The seed is fixed, so a failure names a model that can be regenerated; {@code -Dkiln.randomModels=N} and
 * {@code -Dkiln.randomSeed=S} explore further.
 */
class RandomModelsTest {
    static final int COUNT = Integer.getInteger("kiln.randomModels", 300);
    static final long SEED = Long.getLong("kiln.randomSeed", 20_240_611L);

    static List<RandomModels.Model> models(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<RandomModels.Model> out = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            out.add(RandomModels.valid("M" + i, r));
        }
        return out;
    }

    @Test
    void validModelsCompileCleanlyAndTheirGradientsCheck() {
        List<RandomModels.Model> models = models(SEED);
        List<String> sources = new ArrayList<>();
        for (RandomModels.Model m : models) {
            sources.add("rnd." + m.name());
            sources.add(RandomModels.source("rnd", m));
        }
        long merged = models.stream().filter(m -> m.nodes().stream().anyMatch(RandomModels.Node::merge)).count();
        long twoInputs = models.stream().filter(m -> m.inputs().size() > 1).count();
        System.out.printf("%d models: %d with merges, %d with two inputs%n", models.size(), merged, twoInputs);
        assertTrue(merged > models.size() / 4 && twoInputs > models.size() / 20, "too few DAGs");
        Compilation c = ModelCompiler.compile(sources.toArray(String[]::new));
        assertEquals(Compilation.Status.SUCCESS, c.status(), () -> firstDiagnostics(c));
        assertEquals(0, Diagnosed.all(c).size(), () -> firstDiagnostics(c));
        for (RandomModels.Model m : models) {
            checkReport(m, c);
        }
        ClassLoader loader = ModelCompiler.loader(c);
        long start = System.nanoTime();
        for (RandomModels.Model m : models) {
            check(m, loader);
        }
        System.out.printf("gradient checks of %d models: %.1f s%n", models.size(), (System.nanoTime() - start) / 1e9);
    }

    static void check(RandomModels.Model m, ClassLoader loader) {
        String source = RandomModels.source("rnd", m);
        KilnModel model = ModelCompiler.create(loader, "rnd." + m.name() + "Model", 5, DataType.DOUBLE);
        SplittableRandom r = new SplittableRandom(m.name().hashCode());
        int batch = 4;
        // one array per input, in the spec's order
        INDArray[] xs = model.spec().inputs().stream().map(in -> {
            int width = m.units(m.node(in.name()));
            return Nd4j.create(uniform(r, batch * width), new long[] {batch, width}, DataType.DOUBLE);
        }).toArray(INDArray[]::new);
        assertEquals(m.inputs().size(), xs.length, m.name());
        List<INDArray> targets = new ArrayList<>();
        for (RandomModels.Node o : m.outputs()) {
            targets.add(target(o.loss(), m.units(o), batch, r));
        }
        INDArray[] ys = targets.toArray(INDArray[]::new);
        // Keras starts biases at zero, which can put a ReLU exactly on its kink: start from random ones
        Map<String, INDArray> weights = model.getWeights();
        weights.replaceAll((k, w) -> k.endsWith("/bias")
                ? Nd4j.create(uniform(r, (int) w.length()), w.shape(), DataType.DOUBLE) : w);
        model.setWeights(weights);

        GradientCheck.Result result = GradientCheck.check(model, xs, ys, 8, 1e-5, 11);
        assertTrue(result.passed(), () -> m.name() + ": " + result.failures() + "\n" + source);

        ReferenceInterpreter ref = new ReferenceInterpreter(model.spec(), model.getWeights());
        double loss = model.computeGradients(xs, ys, false).loss();
        Map<String, INDArray> expected = new HashMap<>();
        double refLoss = ref.lossAndGradients(xs, ys, expected);
        assertEquals(refLoss, loss, 1e-9 * Math.max(1, Math.abs(loss)), () -> m.name() + "\n" + source);
        Map<String, INDArray> actual = model.gradients();
        assertEquals(expected.keySet(), actual.keySet(), () -> m.name() + "\n" + source);
        // the reference differentiates frozen weights too; the model leaves their gradients at zero
        for (String k : trainable(model)) {
            assertTrue(expected.get(k).equalsWithEps(actual.get(k), 1e-9), () -> m.name() + " " + k + "\n" + source);
        }
    }

    @Test
    void everySingleMistakeGivesOneDiagnosticAndNeverACrash() {
        List<RandomModels.Model> models = models(SEED + 1);
        SplittableRandom r = new SplittableRandom(SEED + 2);
        Map<String, RandomModels.Mutant> mutants = new HashMap<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            String mutation = RandomModels.MUTATIONS.get(i % RandomModels.MUTATIONS.size());
            RandomModels.Mutant mutant = RandomModels.mutate("mut", models.get(i), mutation, r);
            assertFalse(mutant.source().equals(RandomModels.source("mut", models.get(i))), mutant::toString);
            mutants.put("M" + i, mutant);
            sources.add("mut.M" + i);
            sources.add(mutant.source());
        }
        Compilation c = ModelCompiler.compile(sources.toArray(String[]::new));
        Map<String, List<Diagnostic<? extends JavaFileObject>>> byModel = new HashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : Diagnosed.all(c)) {
            String message = d.getMessage(Locale.ROOT);
            assertFalse(message.contains("kiln/InternalError"), message);
            assertTrue(d.getSource() != null, () -> "a diagnostic without a file: " + message);
            String file = d.getSource().getName();
            assertFalse(file.contains("SOURCE_OUTPUT"), () -> "the generated code does not compile: " + d);
            String model = file.substring(file.lastIndexOf('/') + 1, file.length() - ".java".length());
            byModel.computeIfAbsent(model, k -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<String, RandomModels.Mutant> e : mutants.entrySet()) {
            RandomModels.Mutant mutant = e.getValue();
            List<Diagnostic<? extends JavaFileObject>> ds = byModel.getOrDefault(e.getKey(), List.of());
            String context = e.getKey() + " (" + mutant.kind() + "): " + ds + "\n" + mutant.source();
            assertEquals(1, ds.size(), context);
            assertTrue(ds.get(0).getMessage(Locale.ROOT).startsWith("[" + mutant.rule() + "] "), context);
            Diagnostic.Kind kind = mutant.rule().equals("kiln/UnusedNode") ? Diagnostic.Kind.WARNING
                    : Diagnostic.Kind.ERROR;
            assertEquals(kind, ds.get(0).getKind(), context);
        }
    }

    /** The report's counts against an independent count over the random model's own description. */
    static void checkReport(RandomModels.Model m, Compilation c) {
        JsonNode r;
        try {
            r = new ObjectMapper().readTree(c.generatedFile(StandardLocation.CLASS_OUTPUT, "",
                    "META-INF/kiln/rnd." + m.name() + ".json").orElseThrow().getCharContent(true).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long params = 0;
        long trainable = 0;
        long forward = 0;
        long training = 0;
        Set<String> needsGradient = new HashSet<>();
        for (RandomModels.Node n : m.nodes()) {
            if (!n.kind().equals("Dense")) {
                // inputs, activations, dropout and merges: no parameters, no multiply-adds
                if (n.parents().stream().anyMatch(needsGradient::contains)) {
                    needsGradient.add(n.name());
                }
                continue;
            }
            String parent = n.parents().get(0);
            long in = m.units(m.node(parent));
            long p = in * n.units() + (n.bias() ? n.units() : 0);
            params += p;
            trainable += n.trainable() ? p : 0;
            long f = in * n.units();
            boolean dx = needsGradient.contains(parent);
            forward += f;
            training += f + (n.trainable() ? f : 0) + (dx ? f : 0);
            if (n.trainable() || dx) {
                needsGradient.add(n.name());
            }
        }
        JsonNode t = r.get("perSample");
        String context = m.name() + "\n" + RandomModels.source("rnd", m);
        assertEquals(params, t.get("params").asLong(), context);
        assertEquals(trainable, t.get("trainableParams").asLong(), context);
        assertEquals(forward, t.get("forwardMacs").asLong(), context);
        assertEquals(training, t.get("trainingMacs").asLong(), context);
    }

    static List<String> trainable(KilnModel model) {
        return model.spec().variables().stream().filter(v -> v.trainable()).map(v -> v.name()).toList();
    }

    static INDArray target(Loss loss, int units, int batch, SplittableRandom r) {
        switch (loss) {
            case SPARSE_CATEGORICAL_CROSSENTROPY: {
                double[] ids = new double[batch];
                for (int i = 0; i < batch; i++) {
                    ids[i] = r.nextInt(units);
                }
                return Nd4j.create(ids, new long[] {batch}, DataType.DOUBLE);
            }
            case CATEGORICAL_CROSSENTROPY: {
                INDArray t = Nd4j.zeros(DataType.DOUBLE, batch, units);
                for (int i = 0; i < batch; i++) {
                    t.putScalar(i, r.nextInt(units), 1.0);
                }
                return t;
            }
            case BINARY_CROSSENTROPY: {
                double[] v = new double[batch * units];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextInt(2);
                }
                return Nd4j.create(v, new long[] {batch, units}, DataType.DOUBLE);
            }
            default:
                return Nd4j.create(uniform(r, batch * units), new long[] {batch, units}, DataType.DOUBLE);
        }
    }

    static double[] uniform(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1.5, 1.5);
        }
        return v;
    }

    static String firstDiagnostics(Compilation c) {
        List<?> all = Diagnosed.all(c);
        return all.subList(0, Math.min(5, all.size())).toString();
    }
}
