package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Conv1D}, channels last: {@code activation(conv(x, kernel) + bias)} on inputs of shape {@code (steps,
 * channels)}, with {@code kernel} of shape {@code (k, channels, filters)} and {@code bias} of shape {@code (filters)}.
 * {@code kernelSize}, {@code strides} and {@code dilationRate} are one number each.
 *
 * <p>Rules javac enforces: one input of rank 2 with known axes; {@code filters}, sizes, strides and dilations positive;
 * strides above 1 not combined with dilations above 1 (as in Keras); with {@code VALID} padding the dilated kernel fits
 * in the input.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv1D {
    int filters();

    int[] kernelSize();

    int[] strides() default 1;

    Padding padding() default Padding.VALID;

    int[] dilationRate() default 1;

    Activation activation() default Activation.LINEAR;

    boolean useBias() default true;

    Initializer kernelInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** False freezes the layer: no gradient is computed for its weights (Keras's {@code trainable=False}). */
    boolean trainable() default true;
}
