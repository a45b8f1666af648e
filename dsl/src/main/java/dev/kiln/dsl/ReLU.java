package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code ReLU} layer: {@code min(x, maxValue)} above {@code threshold}, {@code negativeSlope * (x - threshold)}
 * below it. With the defaults it is {@code max(x, 0)}; {@code maxValue = 6} gives ReLU6.
 *
 * <p>Rules javac enforces: one input; {@code maxValue}, {@code negativeSlope} and {@code threshold} are {@code >= 0}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ReLU {
    /** The largest value the layer outputs; unbounded by default (Keras's {@code max_value=None}). */
    double maxValue() default Double.POSITIVE_INFINITY;

    /** The slope below the threshold. */
    double negativeSlope() default 0.0;

    /** Where the slope changes: values at or below it are damped. */
    double threshold() default 0.0;
}
