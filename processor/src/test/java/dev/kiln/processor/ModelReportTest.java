package dev.kiln.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The compile-time report (META-INF/kiln/<model>.txt, .json, .dot): its parameter and multiply-add counts against
 * hand computations, its buffers against the plan, and the options that switch its parts off.
 */
class ModelReportTest {
    static final String MLP = """
            package report;

            import dev.kiln.dsl.*;

            @Model
            interface Mlp {
                @Input(shape = 784)
                Tensor x();

                @Dense(units = 128, activation = Activation.RELU)
                Tensor h1(Tensor x);

                @Dropout(rate = 0.2)
                Tensor d(Tensor h1);

                @Dense(units = 10, activation = Activation.SOFTMAX)
                @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY)
                Tensor y(Tensor d);
            }
            """;
    static final String FROZEN = """
            package report;

            import dev.kiln.dsl.*;

            @Model
            interface Frozen {
                @Input(shape = 8)
                Tensor x();

                @Dense(units = 16, activation = Activation.TANH, trainable = false)
                Tensor f(Tensor x);

                @Dense(units = 4)
                @Output(loss = Loss.MEAN_SQUARED_ERROR)
                Tensor t(Tensor f);
            }
            """;
    static final String BRANCHES = """
            package report;

            import dev.kiln.dsl.*;

            @Model
            interface Branches {
                @Input(shape = 6)
                Tensor x();

                @Dense(units = 5)
                Tensor h(Tensor x);

                @Dense(units = 3, activation = Activation.SOFTMAX)
                @Output(loss = Loss.CATEGORICAL_CROSSENTROPY)
                Tensor a(Tensor h);

                @Dense(units = 2)
                @Output(loss = Loss.MEAN_SQUARED_ERROR, lossWeight = 0.5)
                Tensor b(Tensor h);
            }
            """;
    static final String SEQ = """
            package report;

            import dev.kiln.dsl.*;

            @Model
            interface Seq {
                @Input(shape = {5, 8})
                Tensor x();

                @Dense(units = 4, useBias = false)
                @Output
                Tensor y(Tensor x);
            }
            """;

    static Compilation compilation;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void compile() {
        compilation = ModelCompiler.compile("report.Mlp", MLP, "report.Frozen", FROZEN, "report.Branches", BRANCHES,
                "report.Seq", SEQ);
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics()::toString);
    }

    static String resource(Compilation c, String name) {
        Optional<JavaFileObject> f = c.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/" + name);
        assertTrue(f.isPresent(), () -> "not written: " + name);
        try {
            return f.get().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String model) throws IOException {
        return JSON.readTree(resource(compilation, model + ".json"));
    }

    static JsonNode node(JsonNode report, String name) {
        for (JsonNode n : report.get("nodes")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no node " + name);
    }

    /** 784 -> 128 (relu) -> dropout -> 10 (softmax), by hand. */
    @Test
    void mlpCountsByHand() throws IOException {
        JsonNode r = json("report.Mlp");
        assertEquals("report.MlpModel", r.get("generated").asText());
        assertEquals(784 * 128 + 128, node(r, "h1").get("params").asLong());
        assertEquals(128 * 10 + 10, node(r, "y").get("params").asLong());
        JsonNode t = r.get("perSample");
        assertEquals(101_770, t.get("params").asLong());
        assertEquals(101_770, t.get("trainableParams").asLong());
        // forward: x @ kernel for each Dense
        assertEquals(784 * 128, node(r, "h1").get("forwardMacs").asLong());
        assertEquals(128 * 10, node(r, "y").get("forwardMacs").asLong());
        assertEquals(0, node(r, "d").get("forwardMacs").asLong());
        assertEquals(784 * 128 + 128 * 10, t.get("forwardMacs").asLong());
        // training: h1 adds its kernel's gradient only (x is an input); y adds its kernel's and d's gradient
        assertEquals(2 * 784 * 128, node(r, "h1").get("trainingMacs").asLong());
        assertEquals(3 * 128 * 10, node(r, "y").get("trainingMacs").asLong());
        assertEquals(2 * 784 * 128 + 3 * 128 * 10, t.get("trainingMacs").asLong());
        // activations: the outputs of h1, d and y
        assertEquals(128 + 128 + 10, t.get("activationValues").asLong());
        assertEquals(4 * (128 + 128 + 10), t.get("activationBytesFloat32").asLong());
        // buffers: those outputs, the dropout mask, and the gradients of y, d and h1
        java.util.Map<Integer, Long> slotSize = new java.util.TreeMap<>();
        List<String> shapes = new ArrayList<>();
        for (JsonNode b : r.get("buffers")) {
            long n = 1;
            for (JsonNode d : b.get("shape")) {
                n *= d.asLong();
            }
            slotSize.merge(b.get("slot").asInt(), n, Math::max);
            shapes.add(b.get("slot").asInt() + ":" + b.get("field").asText() + b.get("shape"));
        }
        // lifetimes: d and its gradient dD never overlap, nor do the softmax's logits (kept to the loss) and dH1, so
        // each pair shares a slot
        assertEquals(List.of("0:h1[128]", "1:d[128]", "1:dD[128]", "2:dMask[128]", "3:dH1[128]", "3:yLogits[10]",
                "4:y[10]", "5:dY[10]"), shapes);
        assertEquals(128 + 128 + 128 + 128 + 10 + 10, slotSize.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(128 + 128 + 128 + 128 + 10 + 10, t.get("bufferValues").asLong());
        assertEquals(6, r.get("slots").asInt());
        assertEquals("h1/kernel", r.get("weights").get(0).get("name").asText());
        assertEquals("[784,128]", r.get("weights").get(0).get("shape").toString());
        assertEquals("SPARSE_CATEGORICAL_CROSSENTROPY", node(r, "y").get("output").get("loss").asText());
    }

    /** A frozen layer adds no backward work: no kernel gradient, and no gradient flows into it. */
    @Test
    void frozenCountsByHand() throws IOException {
        JsonNode r = json("report.Frozen");
        JsonNode t = r.get("perSample");
        assertEquals(8 * 16 + 16 + 16 * 4 + 4, t.get("params").asLong());
        assertEquals(16 * 4 + 4, t.get("trainableParams").asLong());
        assertEquals(8 * 16 + 16, t.get("nonTrainableParams").asLong());
        assertEquals(8 * 16 + 16 * 4, t.get("forwardMacs").asLong());
        assertEquals(8 * 16, node(r, "f").get("trainingMacs").asLong());
        assertEquals(2 * 16 * 4, node(r, "t").get("trainingMacs").asLong());
        assertEquals(8 * 16 + 2 * 16 * 4, t.get("trainingMacs").asLong());
    }

    /** A node feeding two outputs: its gradient is needed once, both heads pay for it. */
    @Test
    void branchesCountsByHand() throws IOException {
        JsonNode r = json("report.Branches");
        JsonNode t = r.get("perSample");
        assertEquals(6 * 5 + 5 + 5 * 3 + 3 + 5 * 2 + 2, t.get("params").asLong());
        assertEquals(6 * 5 + 5 * 3 + 5 * 2, t.get("forwardMacs").asLong());
        assertEquals(2 * 6 * 5 + 3 * 5 * 3 + 3 * 5 * 2, t.get("trainingMacs").asLong());
        assertEquals(0.5, node(r, "b").get("output").get("lossWeight").asDouble());
    }

    /** Dense on a rank-2 sample acts on the last axis, once per step of the first. */
    @Test
    void sequenceCountsByHand() throws IOException {
        JsonNode r = json("report.Seq");
        assertEquals("[5,4]", node(r, "y").get("outputShape").toString());
        assertEquals(8 * 4, r.get("perSample").get("params").asLong());
        assertEquals(5 * 8 * 4, r.get("perSample").get("forwardMacs").asLong());
        assertEquals(2 * 5 * 8 * 4, r.get("perSample").get("trainingMacs").asLong());
    }

    @Test
    void textReportShowsTheSummaryCostsBuffersAndGraph() {
        String text = resource(compilation, "report.Mlp.txt");
        assertTrue(text.startsWith("Kiln report: report.Mlp -> report.MlpModel (hash "), text);
        assertTrue(text.contains("\nh1 (Dense)                     (128)                 100,480        100,352"
                + "        200,704  x\n"), text);
        assertTrue(text.contains("\nKernel calls: predict 6, training step 12 (forward 6, backward 6)\n"), text);
        assertTrue(text.contains("\nTotal params: 101,770 (397.54 KB)\n"), text);
        assertTrue(text.contains("\nMultiply-adds per sample: forward 101,632, training step 204,544\n"), text);
        assertTrue(text.contains("\nActivation memory per sample: 266 values (1.04 KB in float32)\n"), text);
        assertTrue(text.contains("\n     2  dMask                    (128)\n"), text);
        assertTrue(text.contains("\nGraph (Graphviz DOT):\ndigraph \"report.Mlp\" {\n"), text);
        String dot = resource(compilation, "report.Mlp.dot");
        assertTrue(text.endsWith(dot), text);
        assertTrue(dot.contains("  \"y\" [label=\"y: Dense(units = 10, activation = SOFTMAX)\\n(10)\\nloss:"
                + " sparse_categorical_crossentropy\", peripheries=2];\n"), dot);
        assertTrue(dot.contains("  \"h1\" -> \"d\";\n"), dot);
    }

    @Test
    void reportIsDeterministic() {
        Compilation again = ModelCompiler.compile("report.Mlp", MLP);
        assertEquals(resource(compilation, "report.Mlp.txt"), resource(again, "report.Mlp.txt"));
        assertEquals(resource(compilation, "report.Mlp.json"), resource(again, "report.Mlp.json"));
    }

    @Test
    void optionsSwitchPartsOff() throws IOException {
        Compilation none = withOptions("-Akiln.report=false");
        assertFalse(none.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/report.Seq.txt").isPresent());
        assertFalse(none.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/report.Seq.json").isPresent());
        assertTrue(none.generatedSourceFile("report.SeqModel").isPresent(), "the model is still generated");

        Compilation noDot = withOptions("-Akiln.dot=false", "-Akiln.json=true");
        assertFalse(noDot.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/report.Seq.dot").isPresent());
        assertFalse(resource(noDot, "report.Seq.txt").contains("digraph"));
        assertFalse(JSON.readTree(resource(noDot, "report.Seq.json")).has("dot"));

        Compilation noJson = withOptions("-Akiln.json=false");
        assertFalse(noJson.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/report.Seq.json")
                .isPresent());
        assertTrue(resource(noJson, "report.Seq.txt").contains("digraph"));
    }

    static Compilation withOptions(String... options) {
        Compilation c = javac().withProcessors(new KilnProcessor()).withOptions((Object[]) options)
                .compile(JavaFileObjects.forSourceString("report.Seq", SEQ));
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        return c;
    }
}
