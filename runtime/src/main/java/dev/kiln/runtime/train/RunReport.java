package dev.kiln.runtime.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training run as one self-contained HTML page (no script, no network): the model's diagram (the processor's
 * {@code META-INF/kiln/<model>.svg}, read from the model's class path when present), its summary, the training curves
 * ({@link History#toSvg}), each epoch's time and samples/s, and the final evaluation. {@link Fit#report} rewrites it
 * after every epoch, so it can be watched while training runs; each write goes to a temporary file beside it, then
 * replaces it in one move, so a reader never sees half a page.
 */
public final class RunReport {
    private RunReport() {
    }

    /**
     * Writes the page for {@code model} after the epochs in {@code history}. {@code evaluation} is the final
     * evaluation on held-out data by Keras name (e.g. {@link Evaluation#asMap()}); when null the page shows the latest
     * epoch's values instead.
     *
     * @throws UncheckedIOException when the page cannot be written
     */
    public static void write(Path file, Trainable model, History history, Map<String, Double> evaluation) {
        String html = render(model, history, evaluation);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, html, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run report " + file + ": " + e.getMessage(), e);
        }
    }

    /** The page as text. */
    static String render(Trainable model, History history, Map<String, Double> evaluation) {
        String name = model.modelClass() == null ? model.getClass().getSimpleName() : model.modelClass();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(esc(name)).append(" - Kiln run</title>\n<style>\n")
                .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#222}\n")
                .append("h1{font-size:20px}h2{font-size:16px;margin-top:28px}\n")
                .append("table{border-collapse:collapse}\n")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\n")
                .append("th{background:#f3f3f3}pre{background:#f7f7f7;padding:8px;overflow-x:auto}\n")
                .append(".diagram{overflow:auto;max-height:900px;border:1px solid #eee}\n</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(name)).append("</h1>\n");
        int epochs = history.epochs().size();
        h.append("<p id=\"status\">").append(epochs).append(epochs == 1 ? " epoch" : " epochs").append(" trained")
                .append(evaluation == null ? "" : "; evaluated").append(".</p>\n");

        h.append("<h2>Evaluation</h2>\n");
        Map<String, Double> shown = evaluation;
        if (shown == null) {
            h.append("<p>No held-out evaluation yet: the latest epoch's values.</p>\n");
            shown = new java.util.LinkedHashMap<>();
            for (String k : history.keys()) {
                shown.put(k, history.last(k));
            }
        }
        h.append("<table id=\"evaluation\"><tr><th>name</th><th>value</th></tr>\n");
        shown.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>")
                .append(esc(KerasFormat.value(v))).append("</td></tr>\n"));
        h.append("</table>\n");

        h.append("<h2>Training curves</h2>\n<div class=\"curves\">\n").append(epochs == 0 ? "" : history.toSvg())
                .append("</div>\n");

        h.append("<h2>Epochs</h2>\n<table id=\"epochs\"><tr><th>epoch</th><th>seconds</th><th>samples/s</th>");
        for (String k : history.keys()) {
            h.append("<th>").append(esc(k)).append("</th>");
        }
        h.append("</tr>\n");
        List<Double> seconds = history.epochSeconds();
        List<Double> throughput = history.samplesPerSecond();
        for (int i = 0; i < epochs; i++) {
            h.append("<tr><td>").append(history.epochs().get(i) + 1).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", seconds.get(i))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", Math.round(throughput.get(i)))).append("</td>");
            for (String k : history.keys()) {
                h.append("<td>").append(esc(KerasFormat.value(history.get(k).get(i)))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");

        String diagram = diagram(model);
        h.append("<h2>Model</h2>\n");
        if (diagram != null) {
            h.append("<div class=\"diagram\">\n").append(diagram).append("</div>\n");
        } else {
            h.append("<p>No diagram: META-INF/kiln/").append(esc(name))
                    .append(".svg is not on the class path (compiled with -Akiln.svg=false?).</p>\n");
        }
        String summary = model.summary();
        if (!summary.isEmpty()) {
            h.append("<pre id=\"summary\">").append(esc(summary)).append("</pre>\n");
        }
        return h.append("</body>\n</html>\n").toString();
    }

    /** The processor's diagram of the model, from the class path beside its generated class; null when absent. */
    static String diagram(Trainable model) {
        if (model.modelClass() == null) {
            return null;
        }
        ClassLoader loader = model.getClass().getClassLoader();
        try (InputStream in = loader == null ? null
                : loader.getResourceAsStream("META-INF/kiln/" + model.modelClass() + ".svg")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // the page is still worth writing without its picture
        }
    }

    private static String esc(String s) {
        return HistoryChart.esc(s);
    }
}
