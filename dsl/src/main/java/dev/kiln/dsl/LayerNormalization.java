package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code LayerNormalization} over the last axis: each sample's (and step's) vector is normalized by its own
 * mean and variance, {@code (x - mean) / sqrt(variance + epsilon)}, then scaled by {@code gamma} and shifted by
 * {@code beta}, one per feature. The same in training and at inference.
 *
 * <p>Rules javac enforces: one input with a fixed last axis; {@code epsilon > 0}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LayerNormalization {
    double epsilon() default 1e-3;

    /** Learn a shift {@code beta}. */
    boolean center() default true;

    /** Learn a scale {@code gamma}. */
    boolean scale() default true;
}
