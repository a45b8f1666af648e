package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Concatenate}: joins its inputs along {@code axis}, counted as in Keras with the batch axis at 0
 * ({@code -1}, the default, is the last axis).
 *
 * <p>Rules javac enforces: at least two inputs of one rank; {@code axis} is a non-batch axis; all other axes agree.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Concatenate {
    int axis() default -1;
}
