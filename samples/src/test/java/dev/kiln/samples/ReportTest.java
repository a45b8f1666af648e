package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * {@code kiln <sample> --report PATH}: one parseable page holding the processor's diagram of the model (read from the
 * class path), a chart per metric, a row per epoch and the held-out metrics.
 */
class ReportTest {
    @Test
    void theNewsSampleWritesItsReport(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("news.html");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(0, cl.execute("news", "--epochs", "2", "--quiet", "--report", page.toString()), err::toString);

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document html = f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readString(page)
                .getBytes(StandardCharsets.UTF_8)));
        List<Element> diagrams = byClass(html, "svg", "kiln-model");
        assertEquals(1, diagrams.size(), "the diagram");
        assertEquals("dev.kiln.samples.news.NewsHeadlines",
                diagrams.get(0).getElementsByTagName("title").item(0).getTextContent());
        assertTrue(byClass(html, "g", "node").size() >= 6, "a box per node");

        List<String> metrics = new ArrayList<>();
        byClass(html, "g", "chart").forEach(c -> metrics.add(c.getAttribute("data-metric")));
        assertEquals(List.of("loss", "auxOutput_accuracy", "mainOutput_accuracy", "auxOutput_loss",
                "mainOutput_loss"), metrics);
        String text = html.getDocumentElement().getTextContent();
        assertTrue(text.contains("2 epochs trained; evaluated."), text);
        assertTrue(text.contains("samples/s"), text);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(page), files.toList(), "no temporary file left");
        }
    }

    @Test
    void aDirectoryIsRefused(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("digits", "--report", dir.toString()));
        assertEquals("kiln: --report " + dir + ": a directory; give the page's file name, e.g. --report run.html",
                err.toString().strip());
    }

    static List<Element> byClass(Document d, String tag, String cssClass) {
        NodeList all = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                out.add(e);
            }
        }
        return out;
    }
}
