package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Masking}: a step of a sequence {@code (steps, features)} whose features all equal {@code maskValue} is
 * padding. Its values become 0 and a mask marks it, so that recurrent layers after it skip it; layers that work step by
 * step pass the mask on, and any other layer it reaches is a compile error.
 *
 * <p>Rules javac enforces: one input of shape {@code (steps, features)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Masking {
    double maskValue() default 0.0;
}
