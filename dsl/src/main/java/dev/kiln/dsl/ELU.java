package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code ELU} layer: {@code x} for {@code x > 0}, {@code alpha * (exp(x) - 1)} otherwise.
 *
 * <p>Rules javac enforces: one input.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ELU {
    double alpha() default 1.0;
}
