package dev.kiln.processor.read;

import dev.kiln.processor.Site;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * The javac positions behind {@link Site}s of one model: the one place past the read stage that knows javax types, used
 * only to print diagnostics.
 */
public final class Sites {
    /** A javac position: an element, optionally narrowed to an annotation and one of its values. */
    public record Position(Element element, AnnotationMirror annotation, AnnotationValue value) {
    }

    private final TypeElement type;
    private final Map<String, ExecutableElement> methods = new HashMap<>();

    Sites(TypeElement type) {
        this.type = type;
    }

    void method(String node, ExecutableElement method) {
        methods.putIfAbsent(node, method);
    }

    /** The most precise position of {@code site} that exists. */
    public Position resolve(Site site) {
        ExecutableElement method = site.node() == null ? null : methods.get(site.node());
        if (method == null) {
            return new Position(type, null, null);
        }
        if (site.parameter() != null) {
            for (VariableElement p : method.getParameters()) {
                if (p.getSimpleName().contentEquals(site.parameter())) {
                    return new Position(p, null, null);
                }
            }
        }
        if (site.annotation() != null) {
            for (AnnotationMirror m : method.getAnnotationMirrors()) {
                if (m.getAnnotationType().asElement().getSimpleName().contentEquals(site.annotation())) {
                    if (site.attribute() != null) {
                        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                                : m.getElementValues().entrySet()) {
                            if (e.getKey().getSimpleName().contentEquals(site.attribute())) {
                                return new Position(method, m, e.getValue());
                            }
                        }
                    }
                    return new Position(method, m, null);
                }
            }
        }
        return new Position(method, null, null);
    }
}
