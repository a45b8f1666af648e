package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code UpSampling2D} with {@code interpolation="nearest"}, channels last: each row repeated {@code size[0]}
 * times and each column {@code size[1]} times, {@code (h, w, c) -> (h * size[0], w * size[1], c)}. {@code size} is one
 * factor for both axes or two.
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; one or two factors, each positive.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface UpSampling2D {
    int[] size() default 2;
}
