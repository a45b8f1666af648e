package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Dropout}: in training, zeroes each element with probability {@code rate} and scales the rest by
 * {@code 1 / (1 - rate)} (inverted dropout); at inference it is the identity.
 *
 * <p>Rules javac enforces: one input; {@code 0 <= rate < 1}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dropout {
    double rate();

    /** Seed of the dropout masks; 0 draws it from the model's seed. */
    long seed() default 0;
}
