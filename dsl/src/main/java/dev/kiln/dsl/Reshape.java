package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Reshape}: one sample rearranged into {@code targetShape} (no batch axis; one axis may be
 * {@code -1}, inferred), elements in C order.
 *
 * <p>Rules javac enforces: one input; the element counts agree.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Reshape {
    int[] targetShape();
}
