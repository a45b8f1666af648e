package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@link History#toSvg}: well-formed, one chart per metric, one point per epoch, the best epoch marked. */
class HistoryChartTest {

    /** Two outputs, with validation: 4 metrics (loss, main_loss, aux_loss, main_accuracy), each with its val_ twin. */
    static History twoOutputs(int epochs) {
        History h = new History();
        for (int e = 0; e < epochs; e++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            double loss = 1.0 / (e + 1);
            logs.put("loss", loss);
            logs.put("main_loss", 0.8 * loss);
            logs.put("aux_loss", 0.2 * loss);
            logs.put("main_accuracy", 1 - loss / 2);
            logs.put("val_loss", 0.5 + (e - 3) * (e - 3) * 0.1); // lowest at epoch index 3
            logs.put("val_main_loss", 0.8 * loss);
            logs.put("val_aux_loss", 0.2 * loss);
            logs.put("val_main_accuracy", e == 4 ? 0.99 : 0.5); // highest at epoch index 4
            h.append(e, logs, 1.0, 1000.0 + e);
        }
        return h;
    }

    @Test
    void oneChartPerMetricAndOnePointPerEpoch() throws Exception {
        Document svg = parse(twoOutputs(7).toSvg());
        List<Element> charts = byClass(svg, "g", "chart");
        assertEquals(List.of("loss", "main_loss", "aux_loss", "main_accuracy"),
                charts.stream().map(c -> c.getAttribute("data-metric")).toList());
        for (Element chart : charts) {
            List<Element> lines = byClass(chart, "polyline", "series");
            assertEquals(2, lines.size(), "training and validation");
            for (Element line : lines) {
                assertEquals(7, line.getAttribute("points").trim().split(" ").length, line.getAttribute("data-name"));
            }
            assertEquals(2, byClass(chart, "g", "legend").size());
            assertEquals(1, byClass(chart, "g", "best").size());
            assertTrue(byClass(chart, "g", "axis x").get(0).getElementsByTagName("text").getLength() >= 7);
        }
        assertEquals("4", byClass(charts.get(0), "g", "best").get(0).getAttribute("data-epoch"), "val_loss lowest");
        assertEquals("5", byClass(charts.get(3), "g", "best").get(0).getAttribute("data-epoch"),
                "val_main_accuracy highest");
    }

    @Test
    void oneEpochAndNoValidationStillDraw() throws Exception {
        History h = new History();
        h.append(0, Map.of("loss", 0.5), 1.0, 10.0);
        Document svg = parse(h.toSvg());
        List<Element> charts = byClass(svg, "g", "chart");
        assertEquals(1, charts.size());
        List<Element> lines = byClass(charts.get(0), "polyline", "series");
        assertEquals(1, lines.size());
        assertEquals(1, lines.get(0).getAttribute("points").trim().split(" ").length);
    }

    @Test
    void ticksAreRound() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}, HistoryChart.ticks(0.05, 0.97));
        assertArrayEquals(new double[] {0.45, 0.5, 0.55}, HistoryChart.ticks(0.5, 0.5), 1e-12);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> byClass(Object root, String tag, String cssClass) {
        NodeList all = root instanceof Document d ? d.getElementsByTagName(tag) : ((Element) root)
                .getElementsByTagName(tag);
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
