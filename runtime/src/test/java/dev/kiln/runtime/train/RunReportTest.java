package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@link Fit#report}: a fit writes one parseable page, rewritten after every epoch, with a chart per metric and the
 * epochs' throughput; no temporary file is left. (The diagram, which needs the processor, is checked in the samples.)
 */
class RunReportTest {

    @Test
    void aFitWritesTheReportAfterEveryEpoch(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("run.html");
        LinearModel model = new LinearModel(3, 2, 16);
        model.compile(new dev.kiln.runtime.optim.SGD(0.05));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 64, 3);
        INDArray y = x.mmul(Nd4j.create(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        int[] seen = new int[1];
        Callback watcher = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                seen[0]++;
            }
        };
        History history = new Trainer().fit(model, ArraySource.of(x, y).reusingBuffers(),
                Fit.epochs(4).batchSize(16).verbose(0).validationSplit(0.25).callbacks(watcher).report(page));
        assertEquals(4, seen[0]);

        Document html = HistoryChartTest.parse(Files.readString(page));
        List<Element> charts = HistoryChartTest.byClass(html, "g", "chart");
        assertEquals(List.of("loss", "mean_absolute_error"),
                charts.stream().map(c -> c.getAttribute("data-metric")).toList());
        for (Element chart : charts) {
            for (Element line : HistoryChartTest.byClass(chart, "polyline", "series")) {
                assertEquals(4, line.getAttribute("points").trim().split(" ").length);
            }
        }
        Element epochs = table(html, "epochs");
        assertEquals(1 + 4, epochs.getElementsByTagName("tr").getLength(), "a header and a row per epoch");
        String text = html.getDocumentElement().getTextContent();
        assertTrue(text.contains("4 epochs trained"), text);
        assertTrue(text.contains("No diagram"), "the test model has no compiled diagram");
        assertEquals(history.last("val_loss"), Double.parseDouble(cell(table(html, "evaluation"), "val_loss")),
                1e-4);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(page), files.toList(), "no temporary file left");
        }
    }

    @Test
    void anEvaluationReplacesTheLatestEpoch(@TempDir Path dir) throws Exception {
        History h = new History();
        h.append(0, Map.of("loss", 0.5), 1.0, 10.0);
        Path page = dir.resolve("sub/run.html");
        RunReport.write(page, new LinearModel(1, 1, 1), h, Map.of("loss", 0.25));
        Document html = HistoryChartTest.parse(Files.readString(page));
        assertEquals("0.2500", cell(table(html, "evaluation"), "loss"));
        assertTrue(html.getDocumentElement().getTextContent().contains("1 epoch trained; evaluated."));
    }

    static Element table(Document html, String id) {
        var tables = html.getElementsByTagName("table");
        for (int i = 0; i < tables.getLength(); i++) {
            Element t = (Element) tables.item(i);
            if (t.getAttribute("id").equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no table " + id);
    }

    /** The value cell of the row named {@code name} in a two-column table. */
    static String cell(Element table, String name) {
        var rows = table.getElementsByTagName("tr");
        for (int i = 0; i < rows.getLength(); i++) {
            var cells = ((Element) rows.item(i)).getElementsByTagName("td");
            if (cells.getLength() == 2 && cells.item(0).getTextContent().equals(name)) {
                return cells.item(1).getTextContent();
            }
        }
        throw new AssertionError("no row " + name);
    }
}
