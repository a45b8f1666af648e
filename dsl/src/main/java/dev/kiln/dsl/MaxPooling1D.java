package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code MaxPooling1D}, channels last: the maximum of each window of {@code poolSize}, moved by {@code strides}
 * (empty: {@code poolSize}), on inputs of shape {@code (steps, channels)}. Sizes and strides are
 * one number each.
 *
 * <p>Rules javac enforces: one input of rank 2 with known axes; sizes and strides positive; every pooled axis keeps
 * at least one element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MaxPooling1D {
    int[] poolSize() default 2;

    int[] strides() default {};

    Padding padding() default Padding.VALID;
}
