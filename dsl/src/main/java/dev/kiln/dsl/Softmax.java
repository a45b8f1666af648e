package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Softmax} layer: {@code exp(x) / sum(exp(x))} along {@code axis}, counted as Keras counts it (the batch
 * is axis 0, so {@code -1} is the last axis and {@code 1} the first of a sample). On the last axis it is the softmax a
 * cross-entropy expects, and is fused with it like {@code activation = SOFTMAX}.
 *
 * <p>Rules javac enforces: one input; {@code axis} names an axis of the input other than the batch.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Softmax {
    int axis() default -1;
}
