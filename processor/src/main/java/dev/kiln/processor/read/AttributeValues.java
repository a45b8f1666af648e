package dev.kiln.processor.read;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.SimpleAnnotationValueVisitor9;

/** Turns annotation values into plain Java values: numbers, booleans, strings, enum constant names, lists. */
final class AttributeValues extends SimpleAnnotationValueVisitor9<Object, Void> {
    static final AttributeValues INSTANCE = new AttributeValues();

    static Object plain(AnnotationValue v) {
        return v.accept(INSTANCE, null);
    }

    @Override
    protected Object defaultAction(Object o, Void unused) {
        return o;
    }

    @Override
    public Object visitEnumConstant(VariableElement c, Void unused) {
        return c.getSimpleName().toString();
    }

    @Override
    public Object visitType(javax.lang.model.type.TypeMirror t, Void unused) {
        return t.toString();
    }

    @Override
    public Object visitArray(List<? extends AnnotationValue> values, Void unused) {
        List<Object> out = new ArrayList<>();
        for (AnnotationValue v : values) {
            out.add(v.accept(this, null));
        }
        return List.copyOf(out);
    }
}
