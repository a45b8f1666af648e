package dev.kiln.processor.read;

import dev.kiln.processor.Site;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * The javac positions behind {@link Site}s of one model: the one place past the read stage that knows javax types, used
 * only to print diagnostics. A second method of a name already taken is known as {@code name#2}, {@code name#3}, ...
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

    /** Registers {@code method} as {@code node}; returns the key it got ({@code node}, or {@code node#k} if taken). */
    String method(String node, ExecutableElement method) {
        String key = node;
        for (int k = 2; methods.containsKey(key); k++) {
            key = node + "#" + k;
        }
        methods.put(key, method);
        return key;
    }

    /** The most precise position of {@code site} that exists. */
    public Position resolve(Site site) {
        Element element = site.node() == null ? type : methods.get(site.node());
        if (element == null) {
            return new Position(type, null, null);
        }
        if (site.parameter() != null && element instanceof ExecutableElement method) {
            for (VariableElement p : method.getParameters()) {
                if (ModelReader.consumed(p).equals(site.parameter())) {
                    return new Position(p, null, null);
                }
            }
        }
        if (site.annotation() != null) {
            for (AnnotationMirror m : element.getAnnotationMirrors()) {
                if (m.getAnnotationType().asElement().getSimpleName().contentEquals(site.annotation())) {
                    AnnotationValue value = site.attribute() == null ? null : value(m, site.attribute());
                    if (value != null && site.element() >= 0 && value.getValue() instanceof List<?> list
                            && site.element() < list.size()) {
                        value = (AnnotationValue) list.get(site.element());
                    }
                    return new Position(element, m, value);
                }
            }
        }
        return new Position(element, null, null);
    }

    /** The value the user wrote for {@code attribute}, or null when it was left at its default. */
    private static AnnotationValue value(AnnotationMirror m, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : m.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue();
            }
        }
        return null;
    }
}
