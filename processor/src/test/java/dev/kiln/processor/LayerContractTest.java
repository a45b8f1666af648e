package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.dsl.Model;
import dev.kiln.processor.layer.LayerKind;
import dev.kiln.processor.layer.LayerKinds;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.layer.InputConfig;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.reference.References;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The contract every layer keeps, held by walking the DSL's annotations rather than a list: each layer annotation has a
 * {@link LayerKind}; its example compiles into a model whose generated code calls only kernels the runtime has (javac
 * compiles the generated source against the runtime) and builds only runtime configs that exist; every config has a
 * registered reference; and the compiled layer's gradients match finite differences and its reference in float64.
 */
class LayerContractTest {
    /** Annotations that wire a model together rather than being layers. */
    private static final Set<String> STRUCTURAL = Set.of("Model", "Output", "Shared", "Nested", "From", "Part",
            "InitialState");

    private static ClassLoader loader;

    /** Compiles every example once, on first use, so that the kind check above still runs when this fails. */
    private static synchronized ClassLoader compiledExamples() {
        if (loader != null) {
            return loader;
        }
        List<String> sources = new ArrayList<>();
        for (String annotation : layerAnnotations()) {
            LayerKind<?> kind = LayerKinds.of(annotation);
            if (kind != null && kind.example() != null) {
                sources.add("contract." + modelName(annotation));
                sources.add(source(annotation, kind.example()));
            }
        }
        Compilation compilation = ModelCompiler.compile(sources.toArray(String[]::new));
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> "a layer's example does not compile, or"
                + " its generated code calls a kernel or builds a config the runtime lacks:\n" + compilation.diagnostics());
        loader = ModelCompiler.loader(compilation);
        return loader;
    }

    /** Every annotation in the DSL's package that is neither structural nor the tensor type, by simple name. */
    static Set<String> layerAnnotations() {
        Set<String> out = new TreeSet<>();
        for (String name : dslClassNames()) {
            try {
                Class<?> c = Class.forName("dev.kiln.dsl." + name);
                if (c.isAnnotation() && !STRUCTURAL.contains(name)) {
                    out.add(name);
                }
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static List<String> dslClassNames() {
        try {
            Path root = Path.of(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(root)) {
                return classesIn(root.resolve("dev/kiln/dsl"));
            }
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return classesIn(jar.getPath("dev/kiln/dsl"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> classesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length())).collect(Collectors.toList());
        }
    }

    static Stream<String> layersWithExamples() {
        return layerAnnotations().stream().filter(a -> LayerKinds.of(a) != null && LayerKinds.of(a).example() != null);
    }

    @Test
    void theWalkFindsTheLayers() {
        Set<String> found = layerAnnotations();
        assertTrue(found.containsAll(Set.of("Dense", "Dropout", "Add", "Dot", "Reshape", "Input")), found::toString);
        assertTrue(found.stream().noneMatch(STRUCTURAL::contains), found::toString);
    }

    @Test
    void everyLayerAnnotationHasAKindAndAnExample() {
        List<String> missing = new ArrayList<>();
        for (String annotation : layerAnnotations()) {
            LayerKind<?> kind = LayerKinds.of(annotation);
            if (kind == null) {
                missing.add("@" + annotation + " has no LayerKind: add a class extending LayerKind, registered with"
                        + " @AutoService(LayerKind.class)");
            } else if (kind.example() == null && !annotation.equals("Input")) {
                missing.add("@" + annotation + "'s kind " + kind.getClass().getSimpleName() + " gives no example()");
            }
        }
        assertTrue(missing.isEmpty(), () -> String.join("\n", missing));
    }

    @ParameterizedTest(name = "@{0}")
    @MethodSource("layersWithExamples")
    void everyConfigHasAReference(String annotation) {
        KilnModel model = model(annotation);
        for (ModelSpec.NodeSpec n : model.spec().nodes()) {
            if (!(n.config() instanceof InputConfig)) {
                assertNotNull(References.of(n.config().getClass()), () -> "@" + annotation + ": "
                        + n.config().getClass().getSimpleName() + " has no LayerReference registered with @AutoService");
                assertNotNull(n.config().kerasClassName());
            }
        }
    }

    /**
     * The Keras mapping each config carries (what kiln-keras reads and writes by): a Keras class name, snake_case
     * {@code get_config()} keys, a weights path in Keras 3's file ({@code vars}, or {@code .../vars} such as an RNN's
     * {@code cell/vars}; a wrapper's groups under the layers it holds, together its weights in order), and {@code
     * weightNames()} naming exactly the node's variables, in the spec's (Keras's) order.
     * A new layer whose config leaves its weights unnamed fails here.
     */
    @ParameterizedTest(name = "@{0}")
    @MethodSource("layersWithExamples")
    void everyConfigHasAKerasMapping(String annotation) {
        KilnModel model = model(annotation);
        for (ModelSpec.NodeSpec n : model.spec().nodes()) {
            LayerConfig c = n.config();
            String where = "@" + annotation + ": " + c.getClass().getSimpleName();
            assertTrue(c.kerasClassName().matches("[A-Z][A-Za-z0-9]*"), () -> where + ": Keras class name '"
                    + c.kerasClassName() + "'");
            for (String key : c.kerasConfig().keySet()) {
                assertTrue(key.matches("[a-z][a-z0-9_]*"), () -> where + ": get_config() key '" + key
                        + "' is not snake_case");
            }
            assertTrue(c.kerasWeightsPath().equals("vars") || c.kerasWeightsPath().endsWith("/vars"),
                    () -> where + ": kerasWeightsPath " + c.kerasWeightsPath());
            for (String group : c.kerasWeightGroups().keySet()) {
                assertTrue(group.equals("vars") || group.endsWith("/vars"), () -> where + ": kerasWeightGroups " + group);
            }
            assertEquals(c.weightNames(), c.kerasWeightGroups().values().stream().flatMap(List::stream).toList(),
                    () -> where + ": kerasWeightGroups() must hold weightNames(), in order");
            if (n.weights() != null && !n.weights().equals(n.name())) {
                continue; // a later application of a shared layer: its owner names the weights
            }
            List<String> variables = model.spec().variables().stream().map(ModelSpec.VariableSpec::name)
                    .filter(v -> v.startsWith(n.name() + "/")).toList();
            List<String> named = c.weightNames().stream().map(w -> n.name() + "/" + w).toList();
            assertEquals(variables, named, () -> where + ": weightNames() must name the layer's variables in Keras's"
                    + " order, as Keras files store them (add or fix weightNames() next to the config)");
        }
    }

    @ParameterizedTest(name = "@{0}")
    @MethodSource("layersWithExamples")
    void gradientsMatchFiniteDifferencesAndTheReference(String annotation) {
        LayerTesting.assertGradientsMatch(model(annotation), "@" + annotation);
    }

    private static KilnModel model(String annotation) {
        return ModelCompiler.create(compiledExamples(), "contract." + modelName(annotation) + "Model", 5, DataType.DOUBLE);
    }

    private static String modelName(String annotation) {
        return "Contract" + annotation;
    }

    /**
     * A model around one example: each input passes a Dense first (so a gradient reaches the layer's inputs and the
     * check covers its backward pass), the layer's output is flattened into a small Dense head with a squared error.
     */
    static String source(String annotation, LayerKind.Example example) {
        StringBuilder s = new StringBuilder("package contract;\nimport dev.kiln.dsl.*;\n@Model interface ")
                .append(modelName(annotation)).append(" {\n");
        List<String> hidden = new ArrayList<>();
        for (int i = 0; i < example.inputShapes().size(); i++) {
            long[] shape = example.inputShapes().get(i);
            String dims = java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
            if (example.ids()) {
                s.append("    @Input(shape = {").append(dims).append("}, dtype = DType.INT32) Tensor x").append(i)
                        .append("();\n");
                hidden.add("Tensor x" + i);
                continue;
            }
            s.append("    @Input(shape = {").append(dims).append("}) Tensor x").append(i).append("();\n");
            s.append("    @Dense(units = ").append(shape[shape.length - 1]).append(", activation = Activation.TANH)")
                    .append(" Tensor h").append(i).append("(Tensor x").append(i).append(");\n");
            hidden.add("Tensor h" + i);
        }
        s.append("    ").append(example.usage()).append(" Tensor layer(").append(String.join(", ", hidden))
                .append(");\n");
        String last = "layer";
        if (example.consumer() != null) {
            s.append("    ").append(example.consumer()).append(" Tensor consumer(Tensor layer);\n");
            last = "consumer";
        }
        s.append("    @Flatten Tensor flat(Tensor ").append(last).append(");\n");
        s.append("    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor out(Tensor flat);\n}\n");
        return s.toString();
    }
}
