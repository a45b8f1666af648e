package dev.kiln.processor;

import dev.kiln.processor.read.Sites;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.tools.Diagnostic;

/** Prints a {@link Report} through javac's Messager, each entry on its most precise position. */
public final class Diagnostics {
    private Diagnostics() {
    }

    static void print(Report report, Sites sites, Messager messager) {
        for (Report.Entry e : report.entries()) {
            Sites.Position p = sites.resolve(e.site());
            if (e.rule().kind() == Diagnostic.Kind.WARNING && suppressed(p.element(), e.rule())) {
                continue;
            }
            if (p.value() != null) {
                messager.printMessage(e.rule().kind(), e.text(), p.element(), p.annotation(), p.value());
            } else if (p.annotation() != null) {
                messager.printMessage(e.rule().kind(), e.text(), p.element(), p.annotation());
            } else {
                messager.printMessage(e.rule().kind(), e.text(), p.element());
            }
        }
    }

    /** {@code @SuppressWarnings("kiln/UnusedNode")} (or {@code "kiln"}) on the element or an enclosing one. */
    private static boolean suppressed(Element element, Rule rule) {
        for (Element e = element; e != null; e = e.getEnclosingElement()) {
            for (AnnotationMirror m : e.getAnnotationMirrors()) {
                if (!m.getAnnotationType().toString().equals("java.lang.SuppressWarnings")) {
                    continue;
                }
                for (var entry : m.getElementValues().entrySet()) {
                    ExecutableElement key = entry.getKey();
                    if (!key.getSimpleName().contentEquals("value")) {
                        continue;
                    }
                    for (Object v : (List<?>) entry.getValue().getValue()) {
                        String s = String.valueOf(((AnnotationValue) v).getValue());
                        if (s.equals(rule.id()) || s.equals("kiln")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
