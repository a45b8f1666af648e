package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code BatchNormalization} over the last axis (channels last): in training, each channel is normalized by
 * the batch's mean and (biased) variance over every other axis, then scaled by {@code gamma} and shifted by
 * {@code beta}; the moving mean and variance follow the batch's, {@code moving = momentum * moving + (1 - momentum) *
 * batch}. At inference the moving statistics are used. The moving statistics are weights that are saved but not trained.
 * A layer with {@code trainable = false} runs in inference mode, in training too (Keras 3's rule for fine-tuning).
 *
 * <p>Rules javac enforces: one input with a fixed last axis; {@code 0 <= momentum <= 1}; {@code epsilon > 0}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface BatchNormalization {
    double momentum() default 0.99;

    double epsilon() default 1e-3;

    /** Learn a shift {@code beta}. */
    boolean center() default true;

    /** Learn a scale {@code gamma}. */
    boolean scale() default true;

    boolean trainable() default true;
}
