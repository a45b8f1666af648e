package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
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
    private static final List<String> METRICS = List.of("loss", "auxOutput_accuracy", "mainOutput_accuracy",
            "auxOutput_loss", "mainOutput_loss");
    @TempDir
    static Path dir;
    private static Path page;

    @BeforeAll
    static void trainTheNewsSampleWithAReport() {
        page = dir.resolve("news.html");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(0, cl.execute("news", "--epochs", "2", "--quiet", "--report", page.toString()), err::toString);
    }

    @Test
    void theNewsSampleWritesItsReport() throws Exception {

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
        assertEquals(METRICS, metrics);
        String text = html.getDocumentElement().getTextContent();
        assertTrue(text.contains("2 epochs trained; evaluated."), text);
        assertTrue(text.contains("samples/s"), text);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(page), files.toList(), "no temporary file left");
        }
    }

    /**
     * The page as a browser shows it: headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs)
     * loads it from disk with the network off, its DOM holds the diagram and a chart per metric, and its screenshot is
     * a picture, not a blank page. Skipped where Chromium is not installed.
     */
    @Test
    void chromiumRendersTheReport(@TempDir Path out) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "Debian's chromium is not installed (.ci/run installs it)");
        String url = page.toUri().toString();
        String dom = Chromium.run(chromium, out, "--dump-dom", url);
        assertEquals(1, count(dom, "<svg[^>]*class=\"kiln-model\""), "the diagram in the rendered DOM");
        List<String> charts = new ArrayList<>();
        Matcher m = Pattern.compile("<g[^>]*class=\"chart\"[^>]*data-metric=\"([^\"]+)\"").matcher(dom);
        while (m.find()) {
            charts.add(m.group(1));
        }
        assertEquals(METRICS, charts, "one chart per metric in the rendered DOM");

        Path png = out.resolve("report.png");
        Chromium.run(chromium, out, "--screenshot=" + png, "--window-size=1280,2400", url);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        Map<Integer, Integer> colours = new HashMap<>();
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.merge(rgb, 1, Integer::sum);
                ink += rgb == 0xffffff ? 0 : 1;
            }
        }
        double share = ink / (image.getWidth() / 2.0 * image.getHeight() / 2.0);
        assertTrue(colours.size() > 20, "a blank screenshot: " + colours.size() + " colours");
        assertTrue(share > 0.02, "a blank screenshot: " + share + " of it is not white");
        String keep = System.getProperty("kiln.reportScreenshot");
        if (keep != null) { // how docs/report.png is made: -Dkiln.reportScreenshot=docs/report.png
            Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
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
