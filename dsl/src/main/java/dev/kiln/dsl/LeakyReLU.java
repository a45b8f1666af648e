package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code LeakyReLU} layer: {@code x} for {@code x >= 0}, {@code negativeSlope * x} below. Its default slope is
 * Keras 3's 0.3, not the 0.2 of {@link Activation#LEAKY_RELU} (as in Keras, the layer and the function differ).
 *
 * <p>Rules javac enforces: one input; {@code negativeSlope >= 0}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LeakyReLU {
    double negativeSlope() default 0.3;
}
