package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code SpatialDropout2D}: in training, drops whole channels of a sample (h, w, channels) with probability
 * {@code rate} (neighbouring values are correlated, so dropping single ones regularizes little) and scales the rest by
 * {@code 1 / (1 - rate)}; at inference it is the identity.
 *
 * <p>Rules javac enforces: one input of rank 3; {@code 0 <= rate < 1}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SpatialDropout2D {
    double rate();

    /** Seed of the dropout masks; 0 draws it from the model's seed. */
    long seed() default 0;
}
