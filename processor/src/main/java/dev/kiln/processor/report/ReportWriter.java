package dev.kiln.processor.report;

import dev.kiln.processor.plan.Plan;
import java.io.IOException;
import java.io.Writer;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes a model's compile-time report beside its classes: {@code META-INF/kiln/<qualified name>.txt}, its JSON twin
 * {@code .json}, its graph {@code .dot} and its diagram {@code .svg}, as {@link ReportOptions} say. Deterministic: no
 * timestamps, no paths.
 */
public final class ReportWriter {
    public static final String FOLDER = "META-INF/kiln/";

    private ReportWriter() {
    }

    public static void write(Plan plan, ReportOptions options, Filer filer, Element origin) throws IOException {
        if (!options.report()) {
            return;
        }
        ModelReport report = ModelReport.of(plan);
        String dot = options.dot() ? DotGraph.render(plan.graph()) : null;
        String base = FOLDER + report.model();
        resource(filer, base + ".txt", TextReport.render(report, dot), origin);
        if (options.json()) {
            resource(filer, base + ".json", JsonReport.render(report, dot), origin);
        }
        if (dot != null) {
            resource(filer, base + ".dot", dot, origin);
        }
        if (options.svg()) {
            resource(filer, base + ".svg", SvgDiagram.render(plan.graph(), report), origin);
        }
    }

    private static void resource(Filer filer, String name, String text, Element origin) throws IOException {
        FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", name, origin);
        try (Writer w = file.openWriter()) {
            w.write(text);
        }
    }
}
