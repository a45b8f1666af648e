package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code UpSampling2D}, channels last: {@code (h, w, c) -> (h * size[0], w * size[1], c)}. With {@code
 * NEAREST} (Keras's default) each row is repeated {@code size[0]} times and each column {@code size[1]} times; with
 * {@code BILINEAR} each output cell interpolates the input at half-pixel centres (see {@link Interpolation}). {@code
 * size} is one factor for both axes or two.
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; one or two factors, each positive.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface UpSampling2D {
    int[] size() default 2;

    Interpolation interpolation() default Interpolation.NEAREST;
}
