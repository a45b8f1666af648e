package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code MaxPooling2D}, channels last: the maximum of each window of {@code poolSize}, moved by {@code strides}
 * (empty: {@code poolSize}), on inputs of shape {@code (h, w, channels)}. Sizes and strides
 * take one value for both axes or one per axis (height, width).
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; sizes and strides positive; every pooled axis keeps
 * at least one element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MaxPooling2D {
    int[] poolSize() default 2;

    int[] strides() default {};

    Padding padding() default Padding.VALID;
}
