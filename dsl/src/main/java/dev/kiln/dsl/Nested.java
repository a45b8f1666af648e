package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A whole {@code @Model} used as one layer of this model (Keras's nested models): its graph runs on this node's
 * inputs (in the order of its {@code @Input}s) and this node's value is its first {@code @Output}; its other
 * {@code @Output}s are parts of the node, which {@link Part} selects by name. Its weights appear
 * under this node's name ({@code node/inner/kernel}). Use {@link Shared} on another node to apply it again with the
 * same weights.
 *
 * <p>Rules javac enforces: the class is a valid {@code @Model} interface; the inputs agree in
 * number and shape with its {@code @Input}s.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Nested {
    Class<?> value();
}
