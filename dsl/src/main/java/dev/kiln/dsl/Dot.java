package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Dot} on vectors: the dot product of two {@code (d)} inputs per sample, giving {@code (1)}; with
 * {@code normalize}, of their L2-normalized forms (cosine similarity).
 *
 * <p>Rules javac enforces: two inputs of rank 1 (per sample) and equal length; {@code axes} is 1 or -1.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dot {
    int axes() default -1;

    boolean normalize() default false;
}
