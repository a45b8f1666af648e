package dev.kiln.processor.report;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.kiln.processor.KilnProcessor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The model diagram ({@code META-INF/kiln/<model>.svg}): well-formed XML, one box per node, one arrow per connection,
 * each arrow labelled with the shape the processor inferred (read back from the JSON report), a nested model framed,
 * the option that turns it off, and a golden file for one diagram.
 */
class SvgDiagramTest {
    static final String VISION = """
            package pics;
            import dev.kiln.dsl.*;
            @Model interface Vision {
                @Input(shape = 10) Tensor image();
                @Dense(units = 8, activation = Activation.RELU) Tensor hidden(Tensor image);
                @Dense(units = 4, activation = Activation.TANH) @Output Tensor features(Tensor hidden);
            }
            """;
    static final String TWO_VIEWS = """
            package pics;
            import dev.kiln.dsl.*;
            @Model interface TwoViews {
                @Input(shape = 10) Tensor a();
                @Input(shape = 10) Tensor b();
                @Nested(Vision.class) Tensor va(Tensor a);
                @Shared("va") Tensor vb(Tensor b);
                @Concatenate Tensor both(Tensor va, Tensor vb);
                @Dense(units = 3, activation = Activation.SOFTMAX)
                @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor digit(Tensor both);
            }
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void diagramHasOneBoxPerNodeAndOneLabelledArrowPerConnection() throws Exception {
        Compilation c = compile(List.of(), "pics.Vision", VISION, "pics.TwoViews", TWO_VIEWS);
        checkAgainstReport(c, "pics.TwoViews");
        Document svg = parse(resource(c, "pics.TwoViews.svg"));
        List<Element> frames = elements(svg, "nested");
        assertEquals(2, frames.size(), "one frame per application of the nested model");
        assertTrue(frames.get(0).getTextContent().contains("va: Vision"), frames.get(0).getTextContent());
        assertTrue(box(svg, "vb").getTextContent().contains("shares the weights of 'va'"));
        assertTrue(box(svg, "digit").getTextContent().contains("loss: sparse_categorical_crossentropy"));
        assertTrue(box(svg, "va/hidden").getTextContent().contains("params: 88"));
    }

    @Test
    void aHundredNodeModel() throws Exception {
        String source = hundredNodes();
        Compilation c = compile(List.of(), "pics.Hundred", source);
        Document svg = checkAgainstReport(c, "pics.Hundred");
        assertEquals(100, elements(svg, "node").size());
        Files.writeString(Path.of("target/Hundred.svg"), resource(c, "pics.Hundred.svg")); // to look at
        // the time javac takes with and without the diagram, for the note (never asserted): best of 4 each, the
        // order alternating
        long with = Long.MAX_VALUE;
        long without = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            boolean draw = i % 4 == 0 || i % 4 == 3;
            long t0 = System.nanoTime();
            compile(draw ? List.of() : List.of("-Akiln.svg=false"), "pics.Hundred", source);
            long t = System.nanoTime() - t0;
            with = draw ? Math.min(with, t) : with;
            without = draw ? without : Math.min(without, t);
        }
        System.out.printf("100-node model: javac with the diagram %.0f ms, without %.0f ms (best of 4)%n", with / 1e6,
                without / 1e6);
    }

    @Test
    void optionTurnsTheDiagramOff() {
        Compilation c = compile(List.of("-Akiln.svg=false"), "pics.Vision", VISION);
        assertFalse(c.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/pics.Vision.svg").isPresent());
        assertTrue(c.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/kiln/pics.Vision.txt").isPresent());
    }

    /** The diagram, as exact text. Set -Dkiln.updateGoldens=true to rewrite it after an intended change. */
    @Test
    void diagramMatchesGolden() throws IOException {
        Compilation c = compile(List.of(), "pics.Vision", VISION, "pics.TwoViews", TWO_VIEWS);
        String actual = resource(c, "pics.TwoViews.svg");
        Path golden = Path.of("src/test/resources/goldens/TwoViews.svg");
        if (Boolean.getBoolean("kiln.updateGoldens")) {
            Files.writeString(golden, actual);
        }
        assertEquals(Files.readString(golden), actual, "the diagram changed; review the diff and update the golden");
    }

    /** Parses the diagram and checks its boxes and arrows against the JSON report's nodes; returns the diagram. */
    static Document checkAgainstReport(Compilation c, String model) throws Exception {
        Document svg = parse(resource(c, model + ".svg"));
        JsonNode report = JSON.readTree(resource(c, model + ".json"));
        Map<String, String> shapes = new HashMap<>();
        int connections = 0;
        for (JsonNode n : report.get("nodes")) {
            StringBuilder shape = new StringBuilder("(");
            for (JsonNode d : n.get("outputShape")) {
                shape.append(shape.length() > 1 ? ", " : "").append(d.asLong() < 0 ? "None" : d.asText());
            }
            shapes.put(n.get("name").asText(), shape.append(')').toString());
            connections += n.get("inputs").size();
        }
        List<Element> boxes = elements(svg, "node");
        assertEquals(shapes.keySet().size(), boxes.size(), "one box per node");
        for (Element b : boxes) {
            assertTrue(shapes.containsKey(b.getAttribute("data-name")), b.getAttribute("data-name"));
            assertEquals(1, b.getElementsByTagName("rect").getLength());
        }
        List<Element> edges = elements(svg, "edge");
        assertEquals(connections, edges.size(), "one arrow per connection");
        for (Element e : edges) {
            String label = e.getElementsByTagName("text").item(0).getTextContent();
            String from = e.getAttribute("data-from");
            assertEquals(shapes.get(from), label, "the shape along " + from + " -> " + e.getAttribute("data-to"));
        }
        return svg;
    }

    /** x -> n1 -> ... -> n99: Dense 16 relu, with an Add of a skip from three back every third node and from five
     * back every seventh (the graph the layout benchmark used). */
    static String hundredNodes() {
        StringBuilder s = new StringBuilder("package pics;\nimport dev.kiln.dsl.*;\n@Model interface Hundred {\n");
        s.append("    @Input(shape = 16) Tensor n0();\n");
        for (int i = 1; i < 100; i++) {
            List<String> in = new ArrayList<>(List.of("n" + (i - 1)));
            if (i % 3 == 0) {
                in.add("n" + (i - 3));
            }
            if (i % 7 == 0) {
                in.add("n" + (i - 5));
            }
            s.append("    ").append(in.size() > 1 ? "@Add" : "@Dense(units = 16, activation = Activation.RELU)");
            s.append(i == 99 ? " @Output(loss = Loss.MEAN_SQUARED_ERROR)" : "").append(" Tensor n").append(i)
                    .append('(').append(String.join(", ", in.stream().map(n -> "Tensor " + n).toList()))
                    .append(");\n");
        }
        return s.append("}\n").toString();
    }

    static Compilation compile(List<String> options, String... namesAndSources) {
        List<JavaFileObject> files = new ArrayList<>();
        for (int i = 0; i < namesAndSources.length; i += 2) {
            files.add(JavaFileObjects.forSourceString(namesAndSources[i], namesAndSources[i + 1]));
        }
        Compilation c = javac().withProcessors(new KilnProcessor()).withOptions(options.toArray()).compile(files);
        assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
        return c;
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

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> elements(Document d, String cssClass) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagName("g");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                out.add(e);
            }
        }
        return out;
    }

    static Element box(Document d, String name) {
        return elements(d, "node").stream().filter(e -> e.getAttribute("data-name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no box for " + name));
    }
}
