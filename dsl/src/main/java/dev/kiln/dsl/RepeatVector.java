package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code RepeatVector}: a {@code (d)} sample repeated {@code n} times into {@code (n, d)}.
 *
 * <p>Rules javac enforces: one input of rank 1; {@code n > 0}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface RepeatVector {
    int n();
}
