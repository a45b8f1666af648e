package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Activation} layer: applies an activation function element-wise ({@code softmax} along the last axis).
 * It is named {@code ActivationLayer} in Java because {@link Activation} is the enum of functions.
 *
 * <p>Rules javac enforces: one input.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ActivationLayer {
    Activation value();
}
